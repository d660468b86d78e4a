import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { QueryState, Section } from '../../components/display.js';
import { BarChart } from './BarChart.js';
import { CsvButton } from './CsvButton.js';
import { TableScroll } from './TableScroll.js';
import { FigureText } from './FigureText.js';
import { demandQuery, type DemandRow, type InsightsFilters } from './insightsApi.js';

/**
 * Demand against capacity: the needs assessed and still open beside the places the directory's services
 * state, by category (the chart), then by category and area (the table). Needs count people, places
 * are what services declare: close, not the same unit, which the intro says.
 */
export function DemandSection(props: { filters: InsightsFilters }) {
  const { t } = useTranslation();
  const report = useQuery(demandQuery(props.filters));
  const category = (c: string) => t(`vocab.category.${c}`, { defaultValue: c });
  const area = (a: string) =>
    a === 'unknown' ? t('insights.demand.unknownArea') : t(`vocab.region.${a}`, { defaultValue: a });
  return (
    <Section
      title={t('insights.demand.title')}
      id="demand"
      actions={<CsvButton report="demand" filters={props.filters} label={t('insights.demand.csv')} />}
    >
      <p className="hint">{t('insights.demand.intro')}</p>
      <QueryState query={report}>
        {(data) =>
          data.totals.length === 0 ? (
            <p className="muted">{t('insights.nothing')}</p>
          ) : (
            <>
              <BarChart
                caption={t('insights.demand.caption')}
                data={{
                  series: [
                    { name: t('insights.figure.open'), className: 'series-1' },
                    { name: t('insights.figure.capacityAvailable'), className: 'series-2' },
                  ],
                  rows: data.totals.map((row) => ({
                    key: row.category,
                    label: category(row.category),
                    values: [row.open, row.capacityAvailable],
                  })),
                }}
              />
              <h3>{t('insights.demand.byArea')}</h3>
              <DemandTable rows={data.rows} category={category} area={area} />
            </>
          )
        }
      </QueryState>
    </Section>
  );
}

const COUNTS = ['needs', 'open', 'unmatched'] as const;
const SERVICES = ['servicesOpen', 'servicesWaitlist', 'capacityAvailable', 'capacityMaximum'] as const;

function DemandTable(props: {
  rows: readonly DemandRow[];
  category: (c: string) => string;
  area: (a: string) => string;
}) {
  const { t } = useTranslation();
  return (
    <TableScroll label={t('insights.demand.byArea')}>
      <table className="table figures-table">
        <caption className="visually-hidden">{t('insights.demand.byArea')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('directory.category')}</th>
            <th scope="col">{t('directory.area')}</th>
            {COUNTS.map((key) => (
              <th scope="col" key={key}>
                {t(`insights.figure.${key}`)}
              </th>
            ))}
            <th scope="col">{t('insights.figure.waitingMedianHours')}</th>
            {SERVICES.map((key) => (
              <th scope="col" key={key}>
                {t(`insights.figure.${key}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={`${row.category}-${row.area}`}>
              <th scope="row">{props.category(row.category)}</th>
              <td className="text-cell">{props.area(row.area)}</td>
              {COUNTS.map((key) => (
                <td key={key}>
                  <FigureText value={row[key]} />
                </td>
              ))}
              <td>
                <FigureText value={row.waitingMedianHours} kind="hours" />
              </td>
              {SERVICES.map((key) => (
                <td key={key}>
                  <FigureText value={row[key]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
