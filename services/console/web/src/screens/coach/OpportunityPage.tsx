import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { idempotencyKey, matching, unwrap } from '../../api/clients.js';
import { useSession } from '../../api/queries.js';
import { OrganisationName, QueryState, Section } from '../../components/display.js';
import { Form, SubmitOrCancel, TextField } from '../../components/form.js';
import { useFormat } from '../../i18n/format.js';
import { opportunityMatchesQuery, opportunityQuery, type Match, type Opportunity } from './coachApi.js';
import { ErrorAlert, MatchExplained, MatchLabel, WhyShort } from './MatchExplained.js';
import { OpportunityStatusBadge } from './Opportunities.js';
import { CandidateName } from './CandidateName.js';
import { PlacementCard } from './Pipeline.js';
import './coach.css';

/** One opportunity: what it asks, its actions (edit, pause, close), its explained matches and its placements. */
export function OpportunityPage() {
  const { t } = useTranslation();
  const { opportunityId } = useParams({ strict: false }) as { opportunityId: string };
  const current = useQuery(opportunityQuery(opportunityId));
  const session = useSession();
  return (
    <QueryState query={current}>
      {({ opportunity, etag }) => {
        const own = opportunity.organisationId === session?.organisationId;
        return (
          <div>
            <p>
              <Link to="/coach/opportunities" search={{}}>
                <span className="back">{t('coach.opportunities.title')}</span>
              </Link>
            </p>
            <div className="page-header">
              <h1>
                <bdi>{opportunity.details.title}</bdi> <OpportunityStatusBadge status={opportunity.status} />
              </h1>
              {own && (opportunity.status === 'open' || opportunity.status === 'paused') && (
                <Link
                  className="button-link"
                  to="/coach/opportunities/$opportunityId/edit"
                  params={{ opportunityId: opportunity.id }}
                >
                  {t('coach.opportunity.edit')}
                </Link>
              )}
            </div>
            <OpportunityFacts opportunity={opportunity} />
            {own && <OpportunityActions opportunity={opportunity} etag={etag} />}
            <OpportunityMatches opportunity={opportunity} />
            <OpportunityPlacements opportunityId={opportunity.id} />
          </div>
        );
      }}
    </QueryState>
  );
}

function OpportunityFacts(props: { opportunity: Opportunity }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { details: d } = props.opportunity;
  return (
    <Section title={t('coach.opportunity.details')} id="opportunity-details">
      <dl className="facts">
        <dt>{t('coach.opportunity.organisation')}</dt>
        <dd>
          <OrganisationName id={props.opportunity.organisationId} />
        </dd>
        <dt>{t('coach.opportunity.type')}</dt>
        <dd>{t(`coach.opportunityType.${d.type}`)}</dd>
        <dt>{t('coach.opportunity.contractType')}</dt>
        <dd>{t(`coach.contractType.${d.contractType}`)}</dd>
        <dt>{t('coach.opportunity.hoursPerWeek')}</dt>
        <dd>{format.number(d.hoursPerWeek)}</dd>
        <dt>{t('coach.opportunity.pay')}</dt>
        <dd>
          {d.pay
            ? t('coach.opportunity.payText', {
                amount: format.number(d.pay.amount, { style: 'currency', currency: d.pay.currency }),
                per: t(`coach.payPer.${d.pay.per}`),
              })
            : t('coach.opportunity.unpaid')}
        </dd>
        <dt>{t('coach.opportunity.positions')}</dt>
        <dd>
          {t('coach.opportunity.hiredOf', {
            hired: format.number(props.opportunity.hired),
            positions: format.number(d.positions),
          })}
        </dd>
        <dt>{t('coach.opportunity.startDate')}</dt>
        <dd>{format.calendarDate(d.startDate)}</dd>
        <dt>{t('coach.opportunity.closingDate')}</dt>
        <dd>{format.calendarDate(d.closingDate)}</dd>
        <dt>{t('coach.opportunity.place')}</dt>
        <dd>{d.location.remote ? t('coach.match.remote') : <bdi>{d.location.locality ?? '—'}</bdi>}</dd>
        <dt>{t('coach.opportunity.languages')}</dt>
        <dd>
          {d.languages.length === 0
            ? t('coach.match.noLanguagesAsked')
            : d.languages.map((l) => `${format.languageName(l.language)} ${l.minLevel}`).join(', ')}
        </dd>
        <dt>{t('coach.opportunity.drivingLicence')}</dt>
        <dd>{d.drivingLicence ?? t('coach.form.noLicence')}</dd>
        <dt>{t('coach.opportunity.skills')}</dt>
        <dd>
          {t('coach.opportunity.skillCount', {
            essential: format.number(d.essentialSkills.length),
            optional: format.number(d.optionalSkills.length),
          })}
        </dd>
      </dl>
    </Section>
  );
}

/** Pause, resume or close (with a reason); filling happens by itself with the last hire. */
function OpportunityActions(props: { opportunity: Opportunity; etag: string | null }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [closing, setClosing] = useState(false);
  const [reason, setReason] = useState('');
  const { opportunity } = props;
  const path = { id: opportunity.id };
  const header = props.etag ? { 'If-Match': props.etag } : {};
  const change = useMutation({
    mutationFn: async (action: 'pause' | 'resume' | 'close') =>
      action === 'pause'
        ? unwrap(matching.POST('/v1/opportunities/{id}/pause', { params: { path, header }, body: {} }))
        : action === 'resume'
          ? unwrap(matching.POST('/v1/opportunities/{id}/resume', { params: { path, header }, body: {} }))
          : unwrap(
              matching.POST('/v1/opportunities/{id}/close', {
                params: { path, header },
                body: { reason: reason.trim() },
              }),
            ),
    onSuccess: async () => {
      setClosing(false);
      await queryClient.invalidateQueries({ queryKey: ['coach'] });
    },
  });
  if (opportunity.status === 'filled' || opportunity.status === 'closed')
    return (
      <p className="muted">
        {t(opportunity.status === 'filled' ? 'coach.opportunity.filledNote' : 'coach.opportunity.closedNote')}
      </p>
    );
  return (
    <Section title={t('coach.opportunity.actions')} id="opportunity-actions">
      {closing ? (
        <Form
          label={t('coach.opportunity.close')}
          onSubmit={() => change.mutate('close')}
          error={change.error}
          actions={
            <SubmitOrCancel
              label={t('coach.opportunity.closeNow')}
              danger
              pending={change.isPending}
              onCancel={() => setClosing(false)}
            />
          }
        >
          <TextField
            label={t('coach.opportunity.closeReason')}
            hint={t('coach.opportunity.closeHint')}
            pointer="/reason"
            value={reason}
            onChange={setReason}
            required
          />
        </Form>
      ) : (
        <div className="actions">
          {opportunity.status === 'open' ? (
            <button type="button" className="button-secondary" onClick={() => change.mutate('pause')}>
              {t('coach.opportunity.pause')}
            </button>
          ) : (
            <button type="button" className="button-secondary" onClick={() => change.mutate('resume')}>
              {t('coach.opportunity.resume')}
            </button>
          )}
          <button type="button" className="button-danger" onClick={() => setClosing(true)}>
            {t('coach.opportunity.close')}
          </button>
        </div>
      )}
      {!closing && change.error && <ErrorAlert error={change.error} />}
    </Section>
  );
}

function OpportunityMatches(props: { opportunity: Opportunity }) {
  const { t } = useTranslation();
  const matches = useQuery(opportunityMatchesQuery(props.opportunity.id));
  return (
    <Section title={t('coach.opportunity.matches')} id="opportunity-matches">
      <p className="hint">{t('coach.opportunity.matchesHint')}</p>
      <QueryState query={matches}>
        {(list) => (
          <>
            {list.items.length > 0 && (
              <ul className="plain">
                {list.items.map((m) => (
                  <MatchRow key={m.candidateId} match={m} side="candidate" />
                ))}
              </ul>
            )}
            <WhyShort list={list} />
          </>
        )}
      </QueryState>
    </Section>
  );
}

/**
 * One explained match in a list: who or what, the label and score, and the explanation folded in a
 * disclosure (keyboard: Enter or Space on its summary); propose it or open its why-not page.
 */
export function MatchRow(props: { match: Match; side: 'candidate' | 'opportunity'; title?: string | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { match } = props;
  const session = useSession();
  const mayPropose = !match.pseudonymous && Boolean(session?.roles.includes('job_coach'));
  const propose = useMutation({
    mutationFn: async () =>
      (
        await unwrap(
          matching.POST('/v1/placements', {
            params: { header: { 'Idempotency-Key': idempotencyKey() } },
            body: { clientId: match.candidateId, opportunityId: match.opportunityId },
          }),
        )
      ).data,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['coach'] });
      await navigate({ to: '/coach/pipeline', search: { stage: 'proposed' } });
    },
  });
  const who =
    props.side === 'candidate' ? (
      match.pseudonymous ? (
        <CandidateName clientId={match.candidateId} pseudonymous />
      ) : (
        <Link to="/coach/candidates/$clientId" params={{ clientId: match.candidateId }}>
          <CandidateName clientId={match.candidateId} />
        </Link>
      )
    ) : (
      <Link to="/coach/opportunities/$opportunityId" params={{ opportunityId: match.opportunityId }}>
        <bdi>{props.title ?? match.opportunityId}</bdi>
      </Link>
    );
  return (
    <li>
      <div className="need-head">
        <h3 className="h3">{who}</h3>
        <MatchLabel label={match.label} score={match.score} />
      </div>
      {match.flags.length > 0 && (
        <p className="muted" lang="en" dir="ltr">
          {match.flags.join(' · ')}
        </p>
      )}
      <details>
        <summary>{t('coach.match.why')}</summary>
        <MatchExplained match={match} />
      </details>
      <div className="actions">
        {mayPropose && (
          <button type="button" onClick={() => propose.mutate()} disabled={propose.isPending}>
            {t('coach.match.propose')}
          </button>
        )}
        {!match.pseudonymous && (
          <Link
            to="/coach/why-not"
            search={{ clientId: match.candidateId, opportunityId: match.opportunityId }}
            className="button-link button-secondary"
          >
            {t('coach.match.openWhyNot')}
          </Link>
        )}
      </div>
      {propose.error !== null && <ErrorAlert error={propose.error} />}
    </li>
  );
}

function OpportunityPlacements(props: { opportunityId: string }) {
  const { t } = useTranslation();
  const placements = useQuery({
    queryKey: ['coach', 'placements-of', props.opportunityId],
    queryFn: async () =>
      (
        await unwrap(
          matching.GET('/v1/placements', { params: { query: { opportunityId: props.opportunityId, limit: 200 } } }),
        )
      ).data,
  });
  return (
    <Section title={t('coach.opportunity.placements')} id="opportunity-placements">
      <QueryState query={placements}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="muted">{t('coach.opportunity.noPlacements')}</p>
          ) : (
            <ul className="plain">
              {list.items.map((p) => (
                <PlacementCard key={p.id} placement={p} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </Section>
  );
}
