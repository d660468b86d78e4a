import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { matching, unwrap } from '../../api/clients.js';
import { useSession } from '../../api/queries.js';
import { QueryState, Section } from '../../components/display.js';
import { candidateMatchesQuery, candidatesQuery, useOpportunityTitles } from './coachApi.js';
import { CandidateName } from './CandidateName.js';
import { ConsentShares } from './Candidates.js';
import { Reason, WhyShort } from './MatchExplained.js';
import { MatchRow } from './OpportunityPage.js';
import { PlacementCard } from './Pipeline.js';
import './coach.css';

/** One candidate: what the consent shares, the best opportunities explained, why a list is short, the placements. */
export function CandidatePage() {
  const { t } = useTranslation();
  const { clientId } = useParams({ strict: false }) as { clientId: string };
  const session = useSession();
  const titles = useOpportunityTitles(session?.organisationId);
  const summary = useQuery(candidatesQuery).data?.items.find((c) => c.clientId === clientId);
  const matches = useQuery(candidateMatchesQuery(clientId));
  const placements = useQuery({
    queryKey: ['coach', 'placements-for', clientId],
    queryFn: async () =>
      (await unwrap(matching.GET('/v1/placements', { params: { query: { clientId, limit: 200 } } }))).data,
  });
  return (
    <div>
      <p>
        <Link to="/coach/candidates">
          <span className="back">{t('coach.candidates.title')}</span>
        </Link>
      </p>
      <div className="page-header">
        <h1>
          <CandidateName clientId={clientId} />
        </h1>
        <Link className="button-link button-secondary" to="/coach/why-not" search={{ clientId }}>
          {t('coach.candidates.whyNot')}
        </Link>
      </div>
      {summary && (
        <Section title={t('coach.candidate.consent')} id="candidate-consent">
          <ConsentShares scope={summary.consentScope} />
          {summary.notices.length > 0 && (
            <ul className="plain reasons">
              {summary.notices.map((n) => (
                <Reason key={n.code} reason={n} />
              ))}
            </ul>
          )}
        </Section>
      )}
      <Section title={t('coach.candidate.matches')} id="candidate-matches">
        <QueryState query={matches}>
          {(list) => (
            <>
              {list.items.length > 0 && (
                <ul className="plain">
                  {list.items.map((m) => (
                    <MatchRow key={m.opportunityId} match={m} side="opportunity" title={titles.get(m.opportunityId)} />
                  ))}
                </ul>
              )}
              <WhyShort list={list} />
            </>
          )}
        </QueryState>
      </Section>
      <Section title={t('coach.candidate.placements')} id="candidate-placements">
        <QueryState query={placements}>
          {(list) =>
            list.items.length === 0 ? (
              <p className="muted">{t('coach.candidate.noPlacements')}</p>
            ) : (
              <ul className="plain">
                {list.items.map((p) => (
                  <PlacementCard key={p.id} placement={p} title={titles.get(p.opportunityId)} />
                ))}
              </ul>
            )
          }
        </QueryState>
      </Section>
    </div>
  );
}
