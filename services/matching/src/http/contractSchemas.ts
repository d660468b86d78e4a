import { requestSchemas } from '@estia/contracts';

// Request schemas of contracts/openapi/matching.json: what /openapi.json documents is what routes enforce.
const schemas = requestSchemas('matching');
export const contractSchema = schemas.schema;
export const parametersSchema = schemas.parameters;

/**
 * For actions whose body is optional in the contract (resume, fill, offer …): no body means `{}`, so the
 * route's schema still checks whatever a caller does send.
 */
export const optionalBody = async (request: { body: unknown }): Promise<void> => {
  if (request.body === undefined || request.body === null) request.body = {};
};
