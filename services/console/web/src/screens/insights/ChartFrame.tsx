import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Published } from './figures.js';
import { FigureText, type FigureKind } from './FigureText.js';

export interface ChartSeries {
  name: string;
  /** The CSS class that colours it (fills and strokes come from the stylesheet, never from markup). */
  className: string;
}

export interface ChartData {
  series: readonly ChartSeries[];
  rows: readonly { key: string; label: string; values: readonly Published[] }[];
  kind?: FigureKind;
}

/**
 * A chart with its caption and its text alternative: the picture is an image named by the caption, and
 * the same figures follow as a table (screen readers, and anyone who wants the exact numbers).
 */
export function ChartFrame(props: { caption: string; data: ChartData; children: (labelledBy: string) => ReactNode }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <figure className="chart">
      <figcaption id={`${id}-caption`}>{props.caption}</figcaption>
      <ul className="chart-legend" aria-hidden="true">
        {props.data.series.map((s) => (
          <li key={s.name}>
            <span className={`legend-swatch ${s.className}`} />
            {s.name}
          </li>
        ))}
      </ul>
      {props.children(`${id}-caption`)}
      <details className="chart-table">
        <summary>{t('insights.asTable')}</summary>
        <table className="table">
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              <td />
              {props.data.series.map((s) => (
                <th scope="col" key={s.name}>
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.data.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">
                  <bdi>{row.label}</bdi>
                </th>
                {row.values.map((value, i) => (
                  <td key={props.data.series[i]!.name}>
                    <FigureText value={value} kind={props.data.kind ?? 'count'} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
