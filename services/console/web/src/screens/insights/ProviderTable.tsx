import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sortRows, type Published } from './figures.js';
import { TableScroll } from './TableScroll.js';
import { FigureText, type FigureKind } from './FigureText.js';
import type { ProviderFigures, ProviderRow } from './insightsApi.js';
import { SortableHeader, type SortState } from './SortableHeader.js';

type Column = keyof ProviderFigures &
  (
    | 'received'
    | 'accepted'
    | 'rejected'
    | 'expired'
    | 'cancelled'
    | 'completed'
    | 'failed'
    | 'firstAnswerMedianHours'
    | 'firstAnswerP90Hours'
    | 'completionMedianHours'
    | 'completionP90Hours'
    | 'answeredWithinResponseTime'
  );

const COLUMNS: readonly { key: Column; kind: FigureKind }[] = [
  { key: 'received', kind: 'count' },
  { key: 'accepted', kind: 'count' },
  { key: 'rejected', kind: 'count' },
  { key: 'expired', kind: 'count' },
  { key: 'cancelled', kind: 'count' },
  { key: 'completed', kind: 'count' },
  { key: 'failed', kind: 'count' },
  { key: 'firstAnswerMedianHours', kind: 'hours' },
  { key: 'firstAnswerP90Hours', kind: 'hours' },
  { key: 'completionMedianHours', kind: 'hours' },
  { key: 'completionP90Hours', kind: 'hours' },
  { key: 'answeredWithinResponseTime', kind: 'share' },
];

/**
 * The providers of the period, one row each, sortable by every figure; the whole network's figures
 * (its totals and its medians) stay in the first row whatever the order, so each provider reads beside it.
 */
export function ProviderTable(props: { rows: readonly ProviderRow[]; network: ProviderFigures }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<SortState<Column> | null>(null);
  const rows = sort ? sortRows(props.rows, (row) => row[sort.key] as Published, sort.direction) : props.rows;
  return (
    <TableScroll label={t('insights.providers.caption')}>
      <table className="table figures-table">
        <caption className="visually-hidden">{t('insights.providers.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('insights.providers.name')}</th>
            {COLUMNS.map((column) => (
              <SortableHeader
                key={column.key}
                column={column.key}
                label={t(`insights.figure.${column.key}`)}
                sort={sort}
                onSort={setSort}
              />
            ))}
          </tr>
        </thead>
        <tbody className="network-row">
          <tr>
            <th scope="row">{t('insights.network')}</th>
            {COLUMNS.map((column) => (
              <td key={column.key}>
                <FigureText value={props.network[column.key] as Published} kind={column.kind} />
              </td>
            ))}
          </tr>
        </tbody>
        <tbody>
          {rows.map((row) => (
            <tr key={row.organisationId ?? row.serviceId ?? row.category ?? ''}>
              <th scope="row">
                <bdi>{row.name ?? t('common.unknownOrganisation')}</bdi>
              </th>
              {COLUMNS.map((column) => (
                <td key={column.key}>
                  <FigureText value={row[column.key] as Published} kind={column.kind} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
