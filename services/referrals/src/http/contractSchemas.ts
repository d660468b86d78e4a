import { requestSchemas } from '@estia/contracts';

/** Request schemas of contracts/openapi/referrals.json: what /openapi.json documents is what routes enforce. */
export const contractSchema = requestSchemas('referrals').schema;

const id = contractSchema('Id');
/** Path parameters as the contract types them (the routes name them `id`, `consentId`, `needId`). */
export const pathParams = (...names: string[]): Record<string, unknown> => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, id])),
  required: names,
});
