import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { QueryState, Section } from '../../components/display.js';
import { CsvButton } from './CsvButton.js';
import { providersQuery, type InsightsFilters } from './insightsApi.js';
import { ProviderTable } from './ProviderTable.js';

/** Provider assessment: what became of the referrals each member received, beside the whole network. */
export function ProvidersSection(props: { filters: InsightsFilters }) {
  const { t } = useTranslation();
  const report = useQuery(providersQuery(props.filters));
  return (
    <Section
      title={t('insights.providers.title')}
      id="providers"
      actions={<CsvButton report="providers" filters={props.filters} label={t('insights.providers.csv')} />}
    >
      <p className="hint">{t('insights.providers.intro')}</p>
      <QueryState query={report}>
        {(data) =>
          data.rows.length === 0 ? (
            <p className="muted">{t('insights.nothing')}</p>
          ) : (
            <ProviderTable rows={data.rows} network={data.network} />
          )
        }
      </QueryState>
    </Section>
  );
}
