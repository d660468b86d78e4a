import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { useSession } from '../../api/queries.js';
import { OrganisationName, QueryState } from '../../components/display.js';
import { useFormat } from '../../i18n/format.js';
import {
  candidatesQuery,
  OPPORTUNITY_STATUSES,
  opportunitiesQuery,
  placementsQuery,
  type Opportunity,
} from './coachApi.js';
import type { CoachOpportunitiesSearch } from './routes.js';
import './coach.css';

export function OpportunityStatusBadge(props: { status: Opportunity['status'] }) {
  const { t } = useTranslation();
  return (
    <span className={`badge opportunity-status-${props.status}`}>{t(`coach.opportunityStatus.${props.status}`)}</span>
  );
}

/**
 * The job coach's first screen: what is waiting (follow-ups due, the pipeline, candidates) and the
 * organisation's opportunities by status.
 */
export function Opportunities() {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const search = useSearch({ strict: false }) as CoachOpportunitiesSearch;
  const organisationId = session?.organisationId ?? '';
  const list = useQuery({
    ...opportunitiesQuery(search.mine ? organisationId : undefined, search.status),
    enabled: Boolean(organisationId),
  });
  const mine = search.mine ? { mine: true } : {};
  const pipeline = useQuery(placementsQuery({}));
  const candidates = useQuery({ ...candidatesQuery, enabled: Boolean(session?.roles.includes('job_coach')) });
  const due = pipeline.data?.followUpsDue ?? 0;
  const running = pipeline.data
    ? pipeline.data.stages.proposed + pipeline.data.stages.applied + pipeline.data.stages.interview
    : 0;

  return (
    <div>
      <div className="page-header">
        <h1>{t('coach.opportunities.title')}</h1>
        <Link className="button-link" to="/coach/opportunities/new">
          {t('coach.opportunities.new')}
        </Link>
      </div>
      <div className="stats" role="group" aria-label={t('coach.opportunities.counts')}>
        <Link className={due > 0 ? 'stat stat-alert' : 'stat'} to="/coach/pipeline" search={{ followUpDue: true }}>
          <span className="stat-value">{format.number(due)}</span>
          <span className="stat-label">{t('coach.opportunities.followUpsDue')}</span>
        </Link>
        <Link className="stat" to="/coach/pipeline" search={{}}>
          <span className="stat-value">{format.number(running)}</span>
          <span className="stat-label">{t('coach.opportunities.running')}</span>
        </Link>
        <Link className="stat" to="/coach/pipeline" search={{ stage: 'hired' }}>
          <span className="stat-value">{format.number(pipeline.data?.stages.hired ?? 0)}</span>
          <span className="stat-label">{t('coach.opportunities.hired')}</span>
        </Link>
        {candidates.data && (
          <Link className="stat" to="/coach/candidates">
            <span className="stat-value">{format.number(candidates.data.items.length)}</span>
            <span className="stat-label">{t('coach.opportunities.candidates')}</span>
          </Link>
        )}
      </div>

      <nav className="chips" aria-label={t('coach.opportunities.byStatus')}>
        <Link
          className={!search.status ? 'chip chip-active' : 'chip'}
          to="/coach/opportunities"
          search={mine}
          aria-current={!search.status ? 'page' : undefined}
        >
          {t('coach.opportunities.all')}
        </Link>
        {OPPORTUNITY_STATUSES.map((status) => (
          <Link
            key={status}
            className={search.status === status ? 'chip chip-active' : 'chip'}
            to="/coach/opportunities"
            search={{ status, ...mine }}
            aria-current={search.status === status ? 'page' : undefined}
          >
            {t(`coach.opportunityStatus.${status}`)}
          </Link>
        ))}
      </nav>
      <nav className="chips" aria-label={t('coach.opportunities.publishedBy')}>
        <Link
          className={!search.mine ? 'chip chip-active' : 'chip'}
          to="/coach/opportunities"
          search={search.status ? { status: search.status } : {}}
          aria-current={!search.mine ? 'page' : undefined}
        >
          {t('coach.opportunities.network')}
        </Link>
        <Link
          className={search.mine ? 'chip chip-active' : 'chip'}
          to="/coach/opportunities"
          search={{ ...(search.status ? { status: search.status } : {}), mine: true }}
          aria-current={search.mine ? 'page' : undefined}
        >
          {t('coach.opportunities.mine')}
        </Link>
      </nav>

      <section className="card" aria-labelledby="opportunity-list-heading">
        <h2 id="opportunity-list-heading">
          {search.mine ? t('coach.opportunities.list') : t('coach.opportunities.networkList')}
          {search.status && ` — ${t(`coach.opportunityStatus.${search.status}`)}`}
        </h2>
        <QueryState query={list}>
          {(data) =>
            data.items.length === 0 ? (
              <p className="muted">
                {search.status
                  ? t('coach.opportunities.noneWithStatus', { status: t(`coach.opportunityStatus.${search.status}`) })
                  : search.mine
                    ? t('coach.opportunities.none')
                    : t('coach.opportunities.noneInNetwork')}
              </p>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('coach.opportunity.title')}</th>
                    <th scope="col">{t('coach.opportunity.organisation')}</th>
                    <th scope="col">{t('coach.opportunity.type')}</th>
                    <th scope="col">{t('coach.opportunity.status')}</th>
                    <th scope="col">{t('coach.opportunity.positions')}</th>
                    <th scope="col">{t('coach.opportunity.startDate')}</th>
                    <th scope="col">{t('coach.opportunity.closingDate')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((o) => (
                    <tr key={o.id}>
                      <td>
                        <Link to="/coach/opportunities/$opportunityId" params={{ opportunityId: o.id }}>
                          <bdi>{o.details.title}</bdi>
                        </Link>
                      </td>
                      <td>
                        <OrganisationName id={o.organisationId} />
                      </td>
                      <td>{t(`coach.opportunityType.${o.details.type}`)}</td>
                      <td>
                        <OpportunityStatusBadge status={o.status} />
                      </td>
                      <td>
                        {t('coach.opportunity.hiredOf', {
                          hired: format.number(o.hired),
                          positions: format.number(o.details.positions),
                        })}
                      </td>
                      <td>{format.calendarDate(o.details.startDate)}</td>
                      <td>{format.calendarDate(o.details.closingDate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </QueryState>
      </section>
    </div>
  );
}
