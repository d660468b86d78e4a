import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { matching, unwrap } from '../../api/clients.js';
import { QueryState, Section } from '../../components/display.js';
import { SelectField } from '../../components/form.js';
import { candidatesQuery, useCandidateName, whyNotQuery, type CandidateSummary } from './coachApi.js';
import { CandidateName } from './CandidateName.js';
import { MatchExplained, MatchLabel, Reason } from './MatchExplained.js';
import type { WhyNotSearch } from './routes.js';
import './coach.css';

/**
 * Why (not): for a candidate and any opportunity of the network, every rule that keeps them apart (a
 * consent that does not share the permit dates, a language below the level asked, too far …), what lowers
 * the match, and the explained match itself when no rule excludes it.
 */
export function WhyNot() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as WhyNotSearch;
  const [clientId, setClientId] = useState(search.clientId ?? '');
  const [opportunityId, setOpportunityId] = useState(search.opportunityId ?? '');
  const candidates = useQuery(candidatesQuery);
  const opportunities = useQuery({
    queryKey: ['coach', 'open-opportunities'],
    queryFn: async () =>
      (await unwrap(matching.GET('/v1/opportunities', { params: { query: { status: 'open', limit: 100 } } }))).data,
  });
  const opportunityOptions = (opportunities.data?.items ?? []).map((o) => ({ value: o.id, label: o.details.title }));
  if (search.opportunityId && !opportunityOptions.some((o) => o.value === search.opportunityId))
    opportunityOptions.unshift({ value: search.opportunityId, label: search.opportunityId });
  return (
    <div>
      <h1>{t('coach.whyNot.title')}</h1>
      <p className="lead">{t('coach.whyNot.intro')}</p>
      <form
        className="card form"
        aria-label={t('coach.whyNot.form')}
        onSubmit={(e) => {
          e.preventDefault();
          if (clientId && opportunityId) void navigate({ to: '/coach/why-not', search: { clientId, opportunityId } });
        }}
      >
        <div className="row">
          <CandidateSelect candidates={candidates.data?.items ?? []} value={clientId} onChange={setClientId} />
          <SelectField
            label={t('coach.whyNot.opportunity')}
            value={opportunityId}
            placeholder={t('common.choose')}
            onChange={setOpportunityId}
            options={opportunityOptions}
          />
        </div>
        <div className="actions">
          <button type="submit" disabled={!clientId || !opportunityId}>
            {t('coach.whyNot.check')}
          </button>
        </div>
      </form>
      {search.clientId && search.opportunityId ? (
        <WhyNotAnswer clientId={search.clientId} opportunityId={search.opportunityId} />
      ) : (
        <p className="muted">{t('coach.whyNot.choose')}</p>
      )}
    </div>
  );
}

function CandidateOption(props: { candidate: CandidateSummary }) {
  const name = useCandidateName(props.candidate.clientId);
  return <option value={props.candidate.clientId}>{name.data ?? props.candidate.clientId.slice(0, 8)}</option>;
}

/** The organisation's candidates by name (each name is read from the case the consent opens). */
function CandidateSelect(props: { candidates: CandidateSummary[]; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const known = props.candidates.some((c) => c.clientId === props.value);
  return (
    <div className="field">
      <label htmlFor="why-not-candidate">{t('coach.whyNot.candidate')}</label>
      <select id="why-not-candidate" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{t('common.choose')}</option>
        {!known && props.value && <option value={props.value}>{props.value.slice(0, 8)}</option>}
        {props.candidates.map((c) => (
          <CandidateOption key={c.clientId} candidate={c} />
        ))}
      </select>
    </div>
  );
}

function WhyNotAnswer(props: { clientId: string; opportunityId: string }) {
  const { t } = useTranslation();
  const answer = useQuery(whyNotQuery(props.clientId, props.opportunityId));
  return (
    <QueryState query={answer}>
      {(w) => {
        const excluding = w.reasons.filter((r) => r.effect === 'excludes');
        const other = w.reasons.filter((r) => r.effect !== 'excludes');
        return (
          <Section title={t('coach.whyNot.answer')} id="why-not-answer">
            <p className={w.listed ? 'alert alert-ok' : 'alert alert-warning'} role="status">
              {w.listed
                ? t('coach.whyNot.listed')
                : excluding.length > 0
                  ? t('coach.whyNot.keptApart', { n: excluding.length })
                  : t('coach.whyNot.belowFloor')}
            </p>
            <p>
              <Link to="/coach/candidates/$clientId" params={{ clientId: w.clientId }}>
                <CandidateName clientId={w.clientId} />
              </Link>{' '}
              ·{' '}
              <Link to="/coach/opportunities/$opportunityId" params={{ opportunityId: w.opportunityId }}>
                {t('coach.whyNot.openOpportunity')}
              </Link>
            </p>
            {excluding.length > 0 && (
              <>
                <h3>{t('coach.whyNot.rulesApart')}</h3>
                <ul className="plain reasons">
                  {excluding.map((r) => (
                    <Reason key={`${r.code}:${r.detail}`} reason={r} />
                  ))}
                </ul>
              </>
            )}
            {other.length > 0 && (
              <>
                <h3>{t('coach.whyNot.rulesLower')}</h3>
                <ul className="plain reasons">
                  {other.map((r) => (
                    <Reason key={`${r.code}:${r.detail}`} reason={r} />
                  ))}
                </ul>
              </>
            )}
            {w.match && (
              <>
                <h3>
                  {t('coach.whyNot.theMatch')} <MatchLabel label={w.match.label} score={w.match.score} />
                </h3>
                <MatchExplained match={w.match} />
              </>
            )}
          </Section>
        );
      }}
    </QueryState>
  );
}
