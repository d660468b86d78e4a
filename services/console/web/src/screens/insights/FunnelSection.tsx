import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { QueryState, Section } from '../../components/display.js';
import { BarChart } from './BarChart.js';
import { CsvButton } from './CsvButton.js';
import { funnelQuery, type FunnelFigures, type InsightsFilters } from './insightsApi.js';

export const FUNNEL_STAGES = [
  'consenting',
  'matched',
  'applied',
  'interviewed',
  'hired',
  'inWork1Month',
  'inWork3Months',
  'inWork6Months',
] as const satisfies readonly (keyof FunnelFigures)[];

/** The employment funnel of the period's cohort: how far the candidates who consented got. */
export function FunnelSection(props: { filters: InsightsFilters }) {
  const { t } = useTranslation();
  const report = useQuery(funnelQuery(props.filters));
  return (
    <Section
      title={t('insights.funnel.title')}
      id="funnel"
      actions={<CsvButton report="funnel" filters={props.filters} label={t('insights.funnel.csv')} />}
    >
      <p className="hint">{t('insights.funnel.intro')}</p>
      <QueryState query={report}>
        {(data) => (
          <BarChart
            caption={t('insights.funnel.caption')}
            data={{
              series: [{ name: t('insights.funnel.candidates'), className: 'series-1' }],
              rows: FUNNEL_STAGES.map((stage) => ({
                key: stage,
                label: t(`insights.funnel.stage.${stage}`),
                values: [data.network[stage]],
              })),
            }}
          />
        )}
      </QueryState>
    </Section>
  );
}
