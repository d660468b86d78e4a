import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { idempotencyKey, referrals, registry, unwrap } from '../api/clients.js';
import {
  referralQuery,
  useService,
  useSession,
  type HsdsPage,
  type HsdsService,
  type Referral,
} from '../api/queries.js';
import { isOverdue, OrganisationName, QueryState, Section, StatusBadge } from '../components/display.js';
import { CheckboxGroup, Form, SelectField, TextField, SubmitOrCancel } from '../components/form.js';
import { useFormat } from '../i18n/format.js';
import { CONSENT_SCOPES, REASONS, REFERRAL_OUTCOMES, SUGGESTED_SCOPES, type ConsentScope } from '../vocabulary.js';
import { ReasonSelect } from './ClientPage.js';

type Step = 'accept' | 'reject' | 'start' | 'hold' | 'resume' | 'complete' | 'fail' | 'cancel';
type Outcome = (typeof REFERRAL_OUTCOMES)[number];

const OPEN = ['requested', 'accepted', 'in-progress', 'on-hold'];

/** What each side may do next, by state (the referrals service refuses anything else with a 409). */
const stepsFor = (referral: Referral, side: 'receiver' | 'sender' | 'other'): Step[] => {
  if (side === 'sender') return OPEN.includes(referral.status) ? ['cancel'] : [];
  if (side !== 'receiver') return [];
  switch (referral.status) {
    case 'requested':
      return ['accept', 'reject'];
    case 'accepted':
      return ['start', 'hold', 'fail'];
    case 'in-progress':
      return ['complete', 'hold', 'fail'];
    case 'on-hold':
      return ['resume', 'fail'];
    default:
      return [];
  }
};

const needsReason = (step: Step): step is 'reject' | 'hold' | 'fail' | 'cancel' =>
  ['reject', 'hold', 'fail', 'cancel'].includes(step);

export function ReferralPage() {
  const { referralId } = useParams({ strict: false }) as { referralId: string };
  const query = useQuery(referralQuery(referralId));
  return (
    <QueryState query={query}>{({ referral, etag }) => <ReferralView referral={referral} etag={etag} />}</QueryState>
  );
}

function ReferralView(props: { referral: Referral; etag: string | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const { referral } = props;
  const service = useService(referral.serviceId);
  const side =
    session?.organisationId === referral.receiverOrganisationId
      ? 'receiver'
      : session?.organisationId === referral.senderOrganisationId
        ? 'sender'
        : 'other';
  return (
    <div>
      <p>
        <Link to="/referrals" search={{ box: side === 'sender' ? 'outbox' : 'inbox' }}>
          <span className="back">{t('referral.back')}</span>
        </Link>
      </p>
      <div className="page-header">
        <h1>{t('referral.title', { category: t(`vocab.category.${referral.category}`) })}</h1>
        <div>
          <StatusBadge status={referral.status} />
          {isOverdue(referral) && <span className="badge badge-overdue">{t('referrals.overdue')}</span>}
        </div>
      </div>
      <div className="columns">
        <Section title={t('referral.details')} id="details">
          <dl className="facts">
            <dt>{t('referrals.from')}</dt>
            <dd>
              <OrganisationName id={referral.senderOrganisationId} />
            </dd>
            <dt>{t('referrals.to')}</dt>
            <dd>
              <OrganisationName id={referral.receiverOrganisationId} />
            </dd>
            <dt>{t('referral.service')}</dt>
            <dd>{service.data?.name ?? '—'}</dd>
            <dt>{t('referral.client')}</dt>
            <dd>
              <Link to="/clients/$clientId" params={{ clientId: referral.clientId }}>
                {t('referral.openCase')}
              </Link>
            </dd>
            <dt>{t('referrals.requested')}</dt>
            <dd>{format.dateTime(referral.requestedAt)}</dd>
            <dt>{t('referrals.respondBy')}</dt>
            <dd>{format.dateTime(referral.respondBy)}</dd>
            {referral.reasonCode && (
              <>
                <dt>{t('common.reason')}</dt>
                <dd>{t(`vocab.reason.${referral.reasonCode}`, { defaultValue: referral.reasonCode })}</dd>
              </>
            )}
            {referral.outcome && (
              <>
                <dt>{t('referral.outcome')}</dt>
                <dd>{t(`vocab.outcome.${referral.outcome}`, { defaultValue: referral.outcome })}</dd>
              </>
            )}
            {referral.consentOverridden && (
              <>
                <dt>{t('referral.consent')}</dt>
                <dd>
                  <span className="badge badge-warning">{t('referrals.overridden')}</span>
                </dd>
              </>
            )}
            {referral.forwardedFrom && (
              <>
                <dt>{t('referral.forwardedFrom')}</dt>
                <dd>
                  <Link to="/referrals/$referralId" params={{ referralId: referral.forwardedFrom }}>
                    {t('referral.previous')}
                  </Link>
                </dd>
              </>
            )}
          </dl>
        </Section>
        <Timeline referral={referral} />
      </div>
      <Steps referral={referral} etag={props.etag} side={side} />
      <Messages referral={referral} />
    </div>
  );
}

/** Every move of the referral from its own log: what it became, who (which organisation), when and why. */
function Timeline(props: { referral: Referral }) {
  const { t } = useTranslation();
  const format = useFormat();
  const r = props.referral;
  const history = useQuery({
    queryKey: ['referral-history', r.referralId],
    queryFn: async () =>
      (
        await unwrap(
          referrals.GET('/v1/referrals/{referralId}/history', { params: { path: { referralId: r.referralId } } }),
        )
      ).data,
  });
  return (
    <Section title={t('referral.timeline')} id="timeline">
      <QueryState query={history}>
        {(data) => (
          <ol className="timeline">
            {data.items.map((item) => (
              <li key={item.eventId}>
                <time dateTime={item.at}>{format.dateTime(item.at)}</time>{' '}
                {item.type === 'ReferralForwarded' ? (
                  <span className="badge">{t('referral.forwarded')}</span>
                ) : (
                  <StatusBadge status={item.status} />
                )}
                {item.by ? (
                  <span className="muted">
                    {' '}
                    {t('referral.by')} <OrganisationName id={item.by.organisationId} />
                  </span>
                ) : (
                  <span className="muted"> {t('referral.byNetwork')}</span>
                )}
                {item.reasonCode && (
                  <div>
                    {t('common.reason')}: {t(`vocab.reason.${item.reasonCode}`, { defaultValue: item.reasonCode })}
                    {item.reasonNote && (
                      <>
                        {' '}
                        — <q>{item.reasonNote}</q>
                      </>
                    )}
                  </div>
                )}
                {item.outcome && (
                  <div>
                    {t('referral.outcome')}: {t(`vocab.outcome.${item.outcome}`, { defaultValue: item.outcome })}
                    {item.outcomeNote && (
                      <>
                        {' '}
                        — <q>{item.outcomeNote}</q>
                      </>
                    )}
                  </div>
                )}
                {item.toOrganisationId && (
                  <div>
                    {t('referral.forwardTo')}: <OrganisationName id={item.toOrganisationId} />
                    {item.newReferralId && (
                      <>
                        {' · '}
                        <Link to="/referrals/$referralId" params={{ referralId: item.newReferralId }}>
                          {t('referral.newReferral')}
                        </Link>
                      </>
                    )}
                  </div>
                )}
                {item.consentOverride && (
                  <div>
                    <span className="badge badge-warning">{t('referrals.overridden')}</span>{' '}
                    {t(`vocab.reason.${item.consentOverride.reasonCode}`, {
                      defaultValue: item.consentOverride.reasonCode,
                    })}
                    {item.consentOverride.note && (
                      <>
                        {' '}
                        — <q>{item.consentOverride.note}</q>
                      </>
                    )}
                  </div>
                )}
              </li>
            ))}
            {r.status === 'requested' && (
              <li className="muted">
                <time dateTime={r.respondBy}>{format.dateTime(r.respondBy)}</time> {t('referral.answerDue')}
                {isOverdue(r) && <span className="badge badge-overdue">{t('referrals.overdue')}</span>}
              </li>
            )}
          </ol>
        )}
      </QueryState>
    </Section>
  );
}

function Steps(props: { referral: Referral; etag: string | null; side: 'receiver' | 'sender' | 'other' }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { referral } = props;
  const [step, setStep] = useState<Step | 'forward' | null>(null);
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [note, setNote] = useState('');
  const steps = stepsFor(referral, props.side);
  const mayForward = props.side === 'receiver' && OPEN.includes(referral.status);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['referral', referral.referralId] });
    await queryClient.invalidateQueries({ queryKey: ['referral-counts'] });
    await queryClient.invalidateQueries({ queryKey: ['messages', referral.referralId] });
    await queryClient.invalidateQueries({ queryKey: ['referral-history', referral.referralId] });
  };
  const transition = useMutation({
    mutationFn: async (which: Step) => {
      const body = {
        ...(needsReason(which) && reason ? { reason: { code: reason } } : {}),
        ...(which === 'complete' && outcome ? { outcome } : {}),
        ...(note ? { note } : {}),
      };
      const options = {
        params: { path: { referralId: referral.referralId }, header: props.etag ? { 'If-Match': props.etag } : {} },
        body,
      };
      switch (which) {
        case 'accept':
          return unwrap(referrals.POST('/v1/referrals/{referralId}/accept', options));
        case 'reject':
          return unwrap(referrals.POST('/v1/referrals/{referralId}/reject', options));
        case 'start':
          return unwrap(referrals.POST('/v1/referrals/{referralId}/start', options));
        case 'hold':
          return unwrap(referrals.POST('/v1/referrals/{referralId}/hold', options));
        case 'resume':
          return unwrap(referrals.POST('/v1/referrals/{referralId}/resume', options));
        case 'complete':
          return unwrap(referrals.POST('/v1/referrals/{referralId}/complete', options));
        case 'fail':
          return unwrap(referrals.POST('/v1/referrals/{referralId}/fail', options));
        case 'cancel':
          return unwrap(referrals.POST('/v1/referrals/{referralId}/cancel', options));
      }
    },
    onSuccess: async () => {
      setStep(null);
      setReason('');
      setNote('');
      await refresh();
    },
  });
  if (steps.length === 0 && !mayForward) return null;
  const current = step && step !== 'forward' ? step : null;
  return (
    <Section title={t('referral.next')} id="steps">
      <div className="actions">
        {steps.map((s) => (
          <button
            type="button"
            key={s}
            className={s === 'reject' || s === 'fail' || s === 'cancel' ? 'button-secondary' : undefined}
            aria-expanded={step === s}
            onClick={() => {
              transition.reset();
              setStep(s);
            }}
          >
            {t(`referral.step.${s}`)}
          </button>
        ))}
        {mayForward && (
          <button
            type="button"
            className="button-secondary"
            aria-expanded={step === 'forward'}
            onClick={() => setStep('forward')}
          >
            {t('referral.step.forward')}
          </button>
        )}
      </div>
      {current && (
        <Form
          label={t(`referral.step.${current}`)}
          onSubmit={() => transition.mutate(current)}
          error={transition.error}
          actions={
            <>
              <button type="submit" disabled={transition.isPending}>
                {t('referral.confirm', { step: t(`referral.step.${current}`) })}
              </button>
              <button type="button" className="button-secondary" onClick={() => setStep(null)}>
                {t('common.cancel')}
              </button>
            </>
          }
        >
          {needsReason(current) && (
            <ReasonSelect pointer="/reason/code" codes={REASONS[current]} value={reason} onChange={setReason} />
          )}
          {current === 'complete' && (
            <SelectField
              label={t('referral.outcome')}
              pointer="/outcome"
              value={outcome}
              placeholder={t('common.choose')}
              required
              options={REFERRAL_OUTCOMES.map((o) => ({ value: o, label: t(`vocab.outcome.${o}`) }))}
              onChange={(v) => setOutcome(v as Outcome)}
            />
          )}
          <TextField
            label={t('referral.note')}
            pointer="/note"
            multiline
            value={note}
            onChange={setNote}
            hint={t('referral.noteHint')}
          />
        </Form>
      )}
      {step === 'forward' && <ForwardForm referral={referral} onDone={() => setStep(null)} />}
    </Section>
  );
}

function ForwardForm(props: { referral: Referral; onDone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [serviceId, setServiceId] = useState('');
  const [share, setShare] = useState<ConsentScope[]>([...SUGGESTED_SCOPES.referral]);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const services = useQuery({
    queryKey: ['forward-services', props.referral.category],
    queryFn: async () =>
      (
        await unwrap(
          registry.GET('/hsds/services', {
            params: { query: { taxonomy_term_id: props.referral.category, intake_open: true, per_page: 50 } },
          }),
        )
      ).data as unknown as HsdsPage<HsdsService>,
  });
  const forward = useMutation({
    mutationFn: async () =>
      (
        await unwrap(
          referrals.POST('/v1/referrals/{referralId}/forward', {
            params: {
              path: { referralId: props.referral.referralId },
              header: { 'Idempotency-Key': idempotencyKey() },
            },
            body: { serviceId, share, reason: { code: reason }, ...(message ? { message } : {}) },
          }),
        )
      ).data,
    onSuccess: async (created) => {
      props.onDone();
      await navigate({ to: '/referrals/$referralId', params: { referralId: created.referralId! } });
    },
  });
  return (
    <Form
      label={t('referral.step.forward')}
      onSubmit={() => forward.mutate()}
      error={forward.error}
      actions={
        <SubmitOrCancel label={t('referral.step.forward')} onCancel={props.onDone} pending={forward.isPending} />
      }
    >
      <SelectField
        label={t('referral.forwardTo')}
        pointer="/serviceId"
        value={serviceId}
        placeholder={t('common.choose')}
        required
        options={(services.data?.contents ?? [])
          .filter((s) => s.organization_id !== props.referral.receiverOrganisationId)
          .map((s) => ({ value: s.id, label: s.name }))}
        onChange={setServiceId}
      />
      <CheckboxGroup
        legend={t('refer.share')}
        pointer="/share"
        options={CONSENT_SCOPES.map((s) => ({ value: s, label: t(`vocab.scope.${s}`) }))}
        selected={share}
        onChange={setShare}
      />
      <ReasonSelect pointer="/reason/code" codes={REASONS.forward} value={reason} onChange={setReason} />
      <TextField label={t('refer.message')} pointer="/message" multiline value={message} onChange={setMessage} />
    </Form>
  );
}

function Messages(props: { referral: Referral }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const id = props.referral.referralId;
  const messages = useQuery({
    queryKey: ['messages', id],
    queryFn: async () =>
      (await unwrap(referrals.GET('/v1/referrals/{referralId}/messages', { params: { path: { referralId: id } } })))
        .data,
  });
  const post = useMutation({
    mutationFn: () =>
      unwrap(
        referrals.POST('/v1/referrals/{referralId}/messages', {
          params: { path: { referralId: id }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { text },
        }),
      ),
    onSuccess: async () => {
      setText('');
      // A message is an event on the referral: its version (the ETag of the next step) moved on too.
      await queryClient.invalidateQueries({ queryKey: ['messages', id] });
      await queryClient.invalidateQueries({ queryKey: ['referral', id] });
    },
  });
  return (
    <Section title={t('referral.messages')} id="messages">
      <QueryState query={messages}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="muted">{t('referral.noMessages')}</p>
          ) : (
            <ol className="thread">
              {data.items.map((m) => (
                <li key={m.messageId}>
                  <p className="meta">
                    <strong>
                      <bdi>
                        <OrganisationName id={(m.by as { organisationId?: string } | undefined)?.organisationId} />
                      </bdi>
                    </strong>{' '}
                    ·{' '}
                    <time dateTime={m.at}>
                      <bdi>{format.dateTime(m.at)}</bdi>
                    </time>
                  </p>
                  <p className="message-text" dir="auto">
                    {m.text ?? t('referral.messageErased')}
                  </p>
                </li>
              ))}
            </ol>
          )
        }
      </QueryState>
      <Form
        label={t('referral.write')}
        onSubmit={() => post.mutate()}
        error={post.error}
        actions={
          <button type="submit" disabled={post.isPending}>
            {t('referral.post')}
          </button>
        }
      >
        <TextField
          label={t('referral.write')}
          pointer="/text"
          multiline
          value={text}
          onChange={setText}
          hint={t('referral.writeHint')}
        />
      </Form>
    </Section>
  );
}
