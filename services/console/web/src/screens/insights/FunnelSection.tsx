import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { QueryState, Section } from '../../components/display.js';
import { BarChart } from './BarChart.js';
import { CsvButton } from './CsvButton.js';
import { FUNNEL_STAGES } from '@estia/contracts/insights/funnelStages.js';
import { funnelQuery, type FunnelFigures, type InsightsFilters } from './insightsApi.js';

/** The funnel's stages, each a figure of the contract's funnel rows. */
const STAGES: readonly (keyof FunnelFigures)[] = FUNNEL_STAGES;

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
              rows: STAGES.map((stage) => ({
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
