import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useFormat } from '../../i18n/format.js';
import { DemandSection } from './DemandSection.js';
import { FunnelSection } from './FunnelSection.js';
import { providersQuery, type InsightsFilters } from './insightsApi.js';
import { InsightsFiltersForm } from './InsightsFiltersForm.js';
import { ProvidersSection } from './ProvidersSection.js';
import { validateInsightsSearch } from './routes.js';
import { TrendsSection } from './TrendsSection.js';
import './insights.css';

/**
 * The network's figures for funders and the network's administrators: one period's report (providers,
 * the employment funnel, demand against capacity, the months), each table as CSV, the whole as a
 * printable page. Figures about fewer than five people come hidden from the service, as "<5".
 */
export function Insights() {
  const { t } = useTranslation();
  const format = useFormat();
  const filters = useSearch({ strict: false }) as InsightsFilters;
  const navigate = useNavigate();
  // The providers' answer carries the period as the service understood it (its defaults filled in).
  // A backward period is said at its field; the reports would only repeat the refusal four times.
  const backwards = Boolean(filters.from && filters.to && filters.to < filters.from);
  const providers = useQuery({ ...providersQuery(filters), enabled: !backwards });
  const period = providers.data?.period;
  const narrowed = [
    filters.category && t(`vocab.category.${filters.category}`),
    filters.area && t(`vocab.region.${filters.area}`, { defaultValue: filters.area }),
    filters.organisationId &&
      (providers.data?.rows.find((r) => r.organisationId === filters.organisationId)?.name ?? filters.organisationId),
  ].filter(Boolean);
  return (
    <div className="insights">
      <div className="page-header">
        <h1>{t('insights.title')}</h1>
        <button type="button" className="button-secondary no-print" onClick={() => window.print()}>
          {t('insights.print')}
        </button>
      </div>
      <p className="lead">{t('insights.intro')}</p>
      <InsightsFiltersForm
        key={JSON.stringify(filters)}
        filters={filters}
        error={providers.error}
        onApply={(next) => void navigate({ to: '/insights', search: validateInsightsSearch(next) })}
      />
      {period && (
        <p className="report-period">
          {period.from
            ? t('insights.period', { from: format.calendarDate(period.from), to: format.calendarDate(period.to) })
            : t('insights.periodSince', { to: format.calendarDate(period.to) })}
          {narrowed.length > 0 && ` · ${narrowed.join(' · ')}`}
        </p>
      )}
      <p className="hint">{t('insights.suppressionNote')}</p>
      {!backwards && (
        <>
          <ProvidersSection filters={filters} />
          <FunnelSection filters={filters} />
          <DemandSection filters={filters} />
          <TrendsSection filters={filters} />
        </>
      )}
    </div>
  );
}
