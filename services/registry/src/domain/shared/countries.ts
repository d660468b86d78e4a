// One list of ISO 3166-1 codes for the whole network, kept with the contracts.
export { COUNTRY_CODES, isCountryCode } from '@estia/contracts';
