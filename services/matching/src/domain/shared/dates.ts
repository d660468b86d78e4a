const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (UTC) of a YYYY-MM-DD date or an ISO instant: compact and comparable in typed arrays. */
export const epochDay = (date: string): number =>
  Math.floor(Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date) / DAY_MS);

export const dateOfEpochDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Calendar months later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb). */
export const addMonths = (date: string, months: number): string => {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
};

export const addDays = (date: string, days: number): string => dateOfEpochDay(epochDay(date) + days);

export const dateOf = (instant: string): string => instant.slice(0, 10);
