import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.js';
import { SUPPRESSED, type Published } from './figures.js';

export type FigureKind = 'count' | 'hours' | 'share';

/** A figure in words for charts' labels and titles ("<5" spelt out, hours and shares through Intl). */
export const useFigureText = () => {
  const { t } = useTranslation();
  const format = useFormat();
  return (value: Published | undefined, kind: FigureKind = 'count'): string => {
    if (value === null || value === undefined) return '—';
    if (value === SUPPRESSED) return t('insights.suppressed');
    if (kind === 'hours') return format.number(value, { style: 'unit', unit: 'hour', maximumFractionDigits: 0 });
    if (kind === 'share') return format.number(value, { style: 'percent', maximumFractionDigits: 0 });
    return format.number(value);
  };
};

/**
 * A figure in a table cell. "<5" is shown as the service publishes it and as the CSV has it, left to right
 * in every language (the guide explains it), and read out as words: a screen reader would skip the sign.
 */
export function FigureText(props: { value: Published | undefined; kind?: FigureKind }) {
  const { t } = useTranslation();
  const text = useFigureText();
  if (props.value === SUPPRESSED)
    return (
      <span className="suppressed">
        <span aria-hidden="true">
          <bdi dir="ltr">{SUPPRESSED}</bdi>
        </span>
        <span className="visually-hidden">{t('insights.suppressed')}</span>
      </span>
    );
  return <>{text(props.value, props.kind)}</>;
}
