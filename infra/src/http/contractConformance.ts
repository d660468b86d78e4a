import { appendFileSync } from 'node:fs';
import { loadOpenApi, type OpenApiDocument, type ServiceName } from '@estia/contracts';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule.default as unknown as typeof addFormatsModule.default.default;

/** `1` turns the check on (the test setup sets it); off in production, where it would only cost time. */
export const CONTRACT_CHECK_ENV = 'ESTIA_CONTRACT_CHECK';
/** Where service processes started by tests append the drifts they saw (one JSON line each). */
export const CONTRACT_DRIFT_FILE_ENV = 'ESTIA_CONTRACT_DRIFT_FILE';

export interface ContractDrift {
  service: string;
  method: string;
  url: string;
  status: number;
  problems: string[];
}

interface Operation {
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
}

/** Answers the framework gives before a route runs; they need only be problem+json. */
const TRANSPORT_STATUSES = new Set([413, 414, 415, 429, 431, 503]);
/** Routes outside the service's contract: the documentation itself. */
const UNDOCUMENTED = [/^\/openapi\.json$/, /^\/docs(\/|$)/];

const drifts: ContractDrift[] = ((globalThis as Record<symbol, unknown>)[Symbol.for('estia.contractDrifts')] ??=
  []) as ContractDrift[];

/** Every drift seen in this process since the last call, removed from the list. */
export const takeContractDrifts = (): ContractDrift[] => drifts.splice(0, drifts.length);

const templateKey = (path: string): string =>
  path
    .replace(/\{[^}]+\}/g, '{}')
    .replace(/:[^/]+/g, '{}')
    .replace(/(.)\/$/, '$1');
const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** The document of a service by its name as passed to createHttpApp (`referrals-test` is referrals). */
export function documentForService(service: string): OpenApiDocument | undefined {
  const name = (['registry', 'referrals', 'matching'] as const).find(
    (s) => service === s || service.startsWith(`${s}-`),
  );
  return name === undefined ? undefined : loadOpenApi(name as ServiceName);
}

export type ResponseChecker = (answer: {
  method: string;
  /** The route's template as fastify has it (`/v1/clients/:clientId`); undefined when no route matched. */
  route: string | undefined;
  status: number;
  contentType: string | undefined;
  body: string | undefined;
}) => string[];

/**
 * Checks one answer against a service's OpenAPI document: the status is declared for the operation,
 * the content type is one it declares, the body validates against that schema, and every error is
 * problem+json with a Problem body.
 */
export function createResponseChecker(service?: OpenApiDocument): ResponseChecker {
  // Without a service document only the error format is checked (with the shared Problem schema).
  const ownPaths = service !== undefined;
  const document = service ?? loadOpenApi('referrals');
  const contractPaths = ownPaths ? document : {};
  const id = 'urn:estia:openapi';
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, logger: false });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: id } as never);
  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string): ValidateFunction => {
    let found = compiled.get(pointer);
    if (!found) compiled.set(pointer, (found = ajv.compile({ $ref: `${id}#${pointer}` })));
    return found;
  };
  const problemPointer = '/components/schemas/Problem';
  const paths = (contractPaths as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  const byTemplate = new Map(Object.keys(paths).map((p) => [templateKey(p), p]));

  const validate = (pointer: string, body: unknown): string[] => {
    const v = validator(pointer);
    if (v(body)) return [];
    return (v.errors ?? []).slice(0, 10).map((e) => `body${e.instancePath} ${e.message ?? 'is invalid'}`);
  };

  return ({ method, route, status, contentType, body }) => {
    const problems: string[] = [];
    const isError = status >= 400;
    const type = contentType?.split(';')[0]!.trim().toLowerCase();
    const hasBody = body !== undefined && body.length > 0;
    let parsed: unknown;
    if (hasBody && type !== undefined && /json$/.test(type)) {
      try {
        parsed = JSON.parse(body);
      } catch {
        return [`body is not JSON although the content type is ${type}`];
      }
    }
    if (isError) {
      if (type !== 'application/problem+json')
        problems.push(`error ${status} is ${type ?? 'without a content type'}, not application/problem+json`);
      else problems.push(...validate(problemPointer, parsed));
    }
    if (!ownPaths || route === undefined || UNDOCUMENTED.some((r) => r.test(route))) return problems;

    const path = byTemplate.get(templateKey(route));
    const httpMethod = method === 'HEAD' ? 'get' : method.toLowerCase();
    const operation = path === undefined ? undefined : paths[path]?.[httpMethod];
    if (path === undefined || operation === undefined)
      return [...problems, `${method} ${route} is not in the OpenAPI document`];
    const responses = operation.responses ?? {};
    const code = [String(status), `${String(status)[0]}XX`, 'default'].find((c) => responses[c] !== undefined);
    if (code === undefined) {
      if (isError && TRANSPORT_STATUSES.has(status)) return problems;
      return [...problems, `status ${status} is not declared for ${httpMethod.toUpperCase()} ${path}`];
    }
    let pointer = `/paths/${escapePointer(path)}/${httpMethod}/responses/${code}`;
    let response = responses[code]!;
    if (typeof response.$ref === 'string' && response.$ref.startsWith('#/components/responses/')) {
      const name = response.$ref.slice('#/components/responses/'.length);
      pointer = `/components/responses/${escapePointer(name)}`;
      response = (document.components?.responses?.[name] ?? {}) as typeof response;
    }
    if (method === 'HEAD') return problems;
    const content = response.content ?? {};
    if (!hasBody) {
      if (Object.keys(content).length > 0 && status !== 304)
        problems.push(`status ${status} declares a body (${Object.keys(content).join(', ')}) but none was sent`);
      return problems;
    }
    if (Object.keys(content).length === 0) return [...problems, `status ${status} declares no body but one was sent`];
    if (type === undefined || content[type] === undefined)
      return [
        ...problems,
        `content type ${type ?? 'none'} is not declared for ${status} (${Object.keys(content).join(', ')})`,
      ];
    if (content[type]!.schema === undefined) return problems;
    if (parsed === undefined) return problems;
    return [...problems, ...validate(`${pointer}/content/${escapePointer(type)}/schema`, parsed)];
  };
}

/**
 * Test-time hook: every answer the app sends is checked against the service's OpenAPI document;
 * a mismatch is recorded (and, in a child process, appended to the drift file) for the test that saw
 * it to fail. The answer itself is not altered.
 */
export function registerContractConformance(app: FastifyInstance, service: string): void {
  const check = createResponseChecker(documentForService(service));
  const driftFile = process.env[CONTRACT_DRIFT_FILE_ENV];
  app.addHook('onSend', async (request, reply, payload) => {
    if (payload !== null && payload !== undefined && typeof payload !== 'string' && !Buffer.isBuffer(payload))
      return payload; // streams: the documentation's assets
    const body = payload === null || payload === undefined ? undefined : payload.toString();
    const contentType = reply.getHeader('content-type');
    let problems: string[];
    try {
      problems = check({
        method: request.method,
        route:
          reply.statusCode === 404 && request.routeOptions.url === undefined ? undefined : request.routeOptions.url,
        status: reply.statusCode,
        contentType: typeof contentType === 'string' ? contentType : undefined,
        body,
      });
    } catch (error) {
      problems = [`the contract check failed: ${error instanceof Error ? error.message : String(error)}`];
    }
    if (problems.length > 0) {
      const drift: ContractDrift = {
        service,
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        problems,
      };
      drifts.push(drift);
      if (driftFile) appendFileSync(driftFile, `${JSON.stringify(drift)}\n`);
      request.log.error({ contractDrift: drift }, 'response does not match the OpenAPI document');
    }
    return payload;
  });
}
