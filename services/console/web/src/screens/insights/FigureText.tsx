import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.js';
import { SUPPRESSED, THRESHOLD, type Published } from './figures.js';

export type FigureKind = 'count' | 'hours' | 'share';

/** "<5" with the reader's digits ("<۵" in Farsi), as short as the service's own mark. */
export const useSuppressedMark = (): string => `<${useFormat().number(THRESHOLD)}`;

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
 * A figure in a table cell. "<5" is shown as the service publishes it (in the reader's digits), left to
 * right in every language, and read out as words: a screen reader would skip the sign.
 */
export function FigureText(props: { value: Published | undefined; kind?: FigureKind }) {
  const { t } = useTranslation();
  const text = useFigureText();
  const mark = useSuppressedMark();
  if (props.value === SUPPRESSED)
    return (
      <span className="suppressed">
        <span aria-hidden="true">
          <bdi dir="ltr">{mark}</bdi>
        </span>
        <span className="visually-hidden">{t('insights.suppressed')}</span>
      </span>
    );
  return <>{text(props.value, props.kind)}</>;
}
