/** What every insights query may be narrowed by. Times in epoch ms; `to` is exclusive. */
export interface InsightsFilters {
  from: number;
  to: number;
  category?: string;
  area?: string;
  organisationId?: string;
}

export const inPeriod = (f: InsightsFilters, at: number | null): at is number =>
  at !== null && at >= f.from && at < f.to;

/** Until an organisation's membership event arrives its region is unknown. */
export const UNKNOWN_AREA = 'unknown';
