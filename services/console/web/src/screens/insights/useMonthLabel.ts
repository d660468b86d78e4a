import { useFormat } from '../../i18n/format.js';

/** "2026-11" as the reader's language writes a month ("Nov 2026", "نوفمبر ٢٠٢٦"). */
export const useMonthLabel = () => {
  const { locale } = useFormat();
  const formatter = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return (month: string): string => formatter.format(new Date(`${month}-15T12:00:00Z`));
};
