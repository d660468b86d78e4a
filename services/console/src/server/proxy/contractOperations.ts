import { loadOpenApi, type ServiceName } from '@estia/contracts';

/** One operation of a service's OpenAPI document, as the proxy matches it. */
export interface ContractOperation {
  service: ServiceName;
  method: string;
  operationId: string;
  /** The document's path template, e.g. /v1/referrals/{referralId}. */
  template: string;
  /** `security: []` in the document: callable without signing in (the public directory). */
  public: boolean;
  matches: (path: string) => boolean;
}

export const SERVICES: readonly ServiceName[] = ['registry', 'referrals', 'matching', 'insights'];

/**
 * Operations the browser may never reach through the console: they hand out credentials, which must
 * stay on the server side of the session, or are probes of the service itself.
 */
const NEVER_PROXIED = new Set([
  'signIn',
  'refreshToken',
  'issueToken',
  'getJwks',
  'getHealth',
  'getReady',
  'getMetrics',
]);

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const matcherFor = (template: string): ((path: string) => boolean) => {
  const pattern = template
    .split('/')
    .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  const regex = new RegExp(`^${pattern}/?$`);
  return (path) => regex.test(path);
};

/**
 * The operations each service's contract declares: the console forwards exactly these and nothing else,
 * so a route that is not in a contract (metrics, docs, a debugging endpoint) is unreachable from a page.
 */
export const contractOperations = (services: readonly ServiceName[] = SERVICES): ContractOperation[] => {
  const operations: ContractOperation[] = [];
  for (const service of services) {
    const document = loadOpenApi(service) as { paths?: Record<string, Record<string, unknown>> };
    for (const [template, item] of Object.entries(document.paths ?? {})) {
      for (const method of METHODS) {
        const operation = item[method] as { operationId?: string; security?: unknown[] } | undefined;
        if (!operation?.operationId || NEVER_PROXIED.has(operation.operationId)) continue;
        operations.push({
          service,
          method: method.toUpperCase(),
          operationId: operation.operationId,
          template,
          public: Array.isArray(operation.security) && operation.security.length === 0,
          matches: matcherFor(template),
        });
      }
    }
  }
  // Literal segments before parameters: /v1/referrals/counts is not /v1/referrals/{referralId}.
  return operations.sort((a, b) => specificity(b.template) - specificity(a.template));
};

const specificity = (template: string): number =>
  template.split('/').reduce((score, segment) => score * 2 + (segment.startsWith('{') ? 0 : 1), 1);

export const findOperation = (
  operations: readonly ContractOperation[],
  service: string,
  method: string,
  path: string,
): ContractOperation | undefined =>
  operations.find((op) => op.service === service && op.method === method && op.matches(path));
