import { useTranslation } from 'react-i18next';

/** Dates, times and numbers in the reader's language, through Intl (Arabic and Farsi digits included). */
export const useFormat = () => {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  // The network is European: English dates read day-month-year, as in the other five languages.
  const locale = language === 'en' ? 'en-GB' : language;
  const calendarDate = (value: string | null | undefined): string => {
    if (!value) return '—';
    // YYYY-MM-DD is a calendar date, not an instant: show it as written, whatever the time zone.
    const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
    return Number.isNaN(date.getTime())
      ? value
      : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
  };
  const dateTime = (value: string | null | undefined): string => {
    if (!value) return '—';
    const date = new Date(value);
    return Number.isNaN(date.getTime())
      ? value
      : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  };
  const number = (value: number | null | undefined, options?: Intl.NumberFormatOptions): string =>
    value === null || value === undefined ? '—' : new Intl.NumberFormat(locale, options).format(value);
  const languageName = (code: string): string =>
    new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' }).of(code) ?? code;
  const countryName = (code: string): string =>
    new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }).of(code) ?? code;
  return { locale, calendarDate, dateTime, number, languageName, countryName };
};
