import { loadOpenApi, requestSchemas } from '@estia/contracts';

/**
 * Partners integrate with registry, referrals and matching alike: every management API is versioned under
 * the same prefix. /health, /ready, /openapi.json and /docs stay at the root (the http kit serves them).
 */
export const API_PREFIX = '/v1';

// Request schemas of contracts/openapi/matching.json: what /openapi.json documents is what routes enforce.
const schemas = requestSchemas('matching');
export const contractSchema = schemas.schema;

let operations: Set<string> | undefined;
const documented = (): Set<string> => {
  const paths = (loadOpenApi('matching') as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  return (operations ??= new Set(
    Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`)),
  ));
};

/**
 * Parameters of one contract operation, named by its path as the routes mount it (under API_PREFIX).
 * An operation the contract lacks throws at startup: a silent `undefined` would drop the validation.
 */
export const parametersSchema = (path: string, method: string, where: 'query' | 'path') => {
  const contractPath = API_PREFIX + path;
  if (!documented().has(`${method} ${contractPath}`))
    throw new Error(`contracts/openapi/matching.json has no ${method.toUpperCase()} ${contractPath}`);
  return schemas.parameters(contractPath, method, where);
};

/**
 * For actions whose body is optional in the contract (resume, fill, offer …): no body means `{}`, so the
 * route's schema still checks whatever a caller does send.
 */
export const optionalBody = async (request: { body: unknown }): Promise<void> => {
  if (request.body === undefined || request.body === null) request.body = {};
};
