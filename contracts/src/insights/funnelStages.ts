/**
 * The stages of the outcome funnel in their order (the insights contract's funnel figures): the service
 * counts and publishes them in this order and the console draws them in it, so both read the one list.
 */
export const FUNNEL_STAGES = [
  'consenting',
  'matched',
  'applied',
  'interviewed',
  'hired',
  'inWork1Month',
  'inWork3Months',
  'inWork6Months',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];
