import { epochDay } from '../domain/shared/dates.js';

const digits = (s: string, from: number, n: number): number => {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
};

/**
 * epochDay (dates.ts) of a date, computed from its digits for the common YYYY-MM-DD: the engine reads
 * a dozen dates of every candidate it takes in, and Date.parse of a built string was a tenth of a
 * rebuild's engine time. A day past the month's end rolls over as Date.parse rolls it (31 February
 * is 3 March); anything else goes to epochDay.
 */
export function epochDayOf(date: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return epochDay(date);
  const year = digits(date, 0, 4);
  const month = digits(date, 5, 2);
  const day = digits(date, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return epochDay(date);
  // Days from civil (H. Hinnant): years from March, so the leap day ends a year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
