import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { QueryState, Section } from '../../components/display.js';
import { funnelQuery, providersQuery, type InsightsFilters } from './insightsApi.js';
import { LineChart } from './LineChart.js';
import { useMonthLabel } from './useMonthLabel.js';

const REFERRALS = ['received', 'accepted', 'completed'] as const;
const COHORT = ['consenting', 'hired'] as const;

/** Month by month over the period: referrals received and what became of them; the job-matching cohort. */
export function TrendsSection(props: { filters: InsightsFilters }) {
  const { t } = useTranslation();
  const month = useMonthLabel();
  // The same queries as the sections above: fetched once, shared by the cache.
  const providers = useQuery(providersQuery(props.filters));
  const funnel = useQuery(funnelQuery(props.filters));
  return (
    <Section title={t('insights.trends.title')} id="trends">
      <p className="hint">{t('insights.trends.intro')}</p>
      <QueryState query={providers}>
        {(data) => (
          <LineChart
            caption={t('insights.trends.referrals')}
            data={{
              series: REFERRALS.map((key, i) => ({ name: t(`insights.figure.${key}`), className: `series-${i + 1}` })),
              rows: data.months.map((m) => ({
                key: m.month,
                label: month(m.month),
                values: REFERRALS.map((key) => m[key]),
              })),
            }}
          />
        )}
      </QueryState>
      <QueryState query={funnel}>
        {(data) => (
          <LineChart
            caption={t('insights.trends.cohort')}
            data={{
              series: COHORT.map((key, i) => ({
                name: t(`insights.funnel.stage.${key}`),
                className: `series-${i + 1}`,
              })),
              rows: data.months.map((m) => ({ key: m.month, label: month(m.month), values: COHORT.map((k) => m[k]) })),
            }}
          />
        )}
      </QueryState>
    </Section>
  );
}
