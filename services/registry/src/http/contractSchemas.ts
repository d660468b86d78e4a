import { requestSchemas } from '@estia/contracts';

/** Request schemas of contracts/openapi/registry.json: what /openapi.json documents is what routes enforce. */
export const contractSchema = requestSchemas('registry').schema;
