import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { idempotencyKey, referrals, unwrap } from '../api/clients.js';
import {
  clientQuery,
  consentsOf,
  needsOf,
  personalOf,
  type ClientCase,
  type ConsentView,
  type LegalStatus,
  type NeedView,
} from '../api/queries.js';
import { ConsentForm } from '../components/ConsentForm.js';
import { isOverdue, OrganisationName, QueryState, Section, StatusBadge } from '../components/display.js';
import { Form, SelectField, TextField, SubmitOrCancel } from '../components/form.js';
import { LegalStatusFields } from '../components/LegalStatusFields.js';
import { consentInForce } from '../domain/consentCoverage.js';
import { useFormat } from '../i18n/format.js';
import { NEED_PRIORITIES, REASONS, SERVICE_CATEGORIES } from '../vocabulary.js';
import { ReminderList, type ReminderView } from './Caseload.js';

export function ClientPage() {
  const { clientId } = useParams({ from: '/signed-in/clients/$clientId' });
  const query = useQuery(clientQuery(clientId));
  return <QueryState query={query}>{(client) => <ClientCaseView client={client} />}</QueryState>;
}

function ClientCaseView(props: { client: ClientCase }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { client } = props;
  const personal = personalOf(client);
  const name = `${personal.givenNames ?? ''} ${personal.familyName ?? ''}`.trim() || t('caseload.nameNotShared');
  return (
    <div>
      <div className="page-header">
        <div>
          <h1>{name}</h1>
          <p className="muted">
            {personal.dateOfBirth && <>{t('client.born', { date: format.calendarDate(personal.dateOfBirth) })} · </>}
            {t(`client.access.${client.access}`)}
          </p>
        </div>
      </div>
      <nav className="in-page" aria-label={t('client.sections')}>
        <a href="#personal">{t('client.personal')}</a>
        <a href="#legal">{t('client.legalStatus')}</a>
        <a href="#needs">{t('client.needs')}</a>
        <a href="#consents">{t('client.consents')}</a>
        <a href="#referrals">{t('client.referrals')}</a>
      </nav>
      <PersonalSection client={client} />
      <LegalSection client={client} />
      <NeedsSection client={client} />
      <ConsentsSection client={client} />
      <ReferralsSection client={client} />
    </div>
  );
}

const useRefreshClient = (clientId: string) => {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['client', clientId] });
};

function PersonalSection(props: { client: ClientCase }) {
  const { t } = useTranslation();
  const format = useFormat();
  const personal = personalOf(props.client);
  const [editing, setEditing] = useState(false);
  const [contact, setContact] = useState({ phone: '', email: '', address: '', ...personal.contact });
  const refresh = useRefreshClient(props.client.clientId);
  const correct = useMutation({
    mutationFn: () =>
      unwrap(
        referrals.POST('/v1/clients/{clientId}/personal-data', {
          params: { path: { clientId: props.client.clientId } },
          body: { contact: Object.fromEntries(Object.entries(contact).filter(([, v]) => v.trim() !== '')) },
        }),
      ),
    onSuccess: async () => {
      await refresh();
      setEditing(false);
    },
  });
  const registered = props.client.access === 'registered';
  return (
    <Section
      title={t('client.personal')}
      id="personal"
      actions={
        registered && !editing ? (
          <button type="button" className="button-secondary" onClick={() => setEditing(true)}>
            {t('client.correctContact')}
          </button>
        ) : null
      }
    >
      <dl className="facts">
        <dt>{t('client.givenNames')}</dt>
        <dd>{personal.givenNames ?? '—'}</dd>
        <dt>{t('client.familyName')}</dt>
        <dd>{personal.familyName ?? '—'}</dd>
        <dt>{t('client.dateOfBirth')}</dt>
        <dd>{format.calendarDate(personal.dateOfBirth)}</dd>
        {personal.gender && (
          <>
            <dt>{t('client.gender')}</dt>
            <dd>{personal.gender}</dd>
          </>
        )}
        <dt>{t('client.nationality')}</dt>
        <dd>{(personal.nationalities ?? []).map(format.countryName).join(', ') || '—'}</dd>
        <dt>{t('client.languages')}</dt>
        <dd>
          {(personal.languages ?? [])
            .map((l) => `${format.languageName(l.language)} ${l.native ? t('client.nativeShort') : l.level}`)
            .join(', ') || '—'}
        </dd>
        <dt>{t('client.region')}</dt>
        <dd>
          {personal.location
            ? t(`vocab.region.${personal.location.region}`, { defaultValue: personal.location.region })
            : '—'}
        </dd>
        <dt>{t('client.contact')}</dt>
        <dd>
          {[personal.contact?.phone, personal.contact?.email, personal.contact?.address].filter(Boolean).join(' · ') ||
            '—'}
        </dd>
      </dl>
      {editing && (
        <Form
          label={t('client.correctContact')}
          onSubmit={() => correct.mutate()}
          error={correct.error}
          actions={<SubmitOrCancel label={t('common.save')} onCancel={() => setEditing(false)} />}
        >
          <TextField
            label={t('client.phone')}
            type="tel"
            pointer="/contact/phone"
            value={contact.phone ?? ''}
            onChange={(v) => setContact({ ...contact, phone: v })}
          />
          <TextField
            label={t('client.email')}
            type="email"
            pointer="/contact/email"
            value={contact.email ?? ''}
            onChange={(v) => setContact({ ...contact, email: v })}
          />
          <TextField
            label={t('client.address')}
            pointer="/contact/address"
            value={contact.address ?? ''}
            onChange={(v) => setContact({ ...contact, address: v })}
          />
        </Form>
      )}
    </Section>
  );
}

function LegalSection(props: { client: ClientCase }) {
  const { t } = useTranslation();
  const format = useFormat();
  const personal = personalOf(props.client);
  const legal = personal.legalStatus;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<LegalStatus>(legal ?? { status: 'asylum_seeker' });
  const refresh = useRefreshClient(props.client.clientId);
  const registered = props.client.access === 'registered';
  const reminders = useQuery({
    queryKey: ['reminders', props.client.clientId],
    enabled: registered,
    queryFn: async () =>
      (await unwrap(referrals.GET('/v1/reminders', { params: { query: { clientId: props.client.clientId } } }))).data,
  });
  const change = useMutation({
    mutationFn: () =>
      unwrap(
        referrals.POST('/v1/clients/{clientId}/legal-status', {
          params: { path: { clientId: props.client.clientId } },
          body: draft,
        }),
      ),
    onSuccess: async () => {
      await refresh();
      setEditing(false);
    },
  });
  const period = (p: { validFrom: string; validUntil: string } | undefined) =>
    p ? t('client.period', { from: format.calendarDate(p.validFrom), until: format.calendarDate(p.validUntil) }) : '—';
  return (
    <Section
      title={t('client.legalStatus')}
      id="legal"
      actions={
        registered && !editing ? (
          <button type="button" className="button-secondary" onClick={() => setEditing(true)}>
            {t('client.changeLegalStatus')}
          </button>
        ) : null
      }
    >
      {legal ? (
        <dl className="facts">
          <dt>{t('client.status')}</dt>
          <dd>{t(`vocab.legalStatus.${legal.status}`)}</dd>
          <dt>{t('client.applicationDate')}</dt>
          <dd>{format.calendarDate(legal.applicationDate)}</dd>
          <dt>{t('client.decisionDate')}</dt>
          <dd>{format.calendarDate(legal.decisionDate)}</dd>
          <dt>{t('client.residencePermit')}</dt>
          <dd>{period(legal.residencePermit)}</dd>
          <dt>{t('client.workPermit')}</dt>
          <dd>{period(legal.workPermit)}</dd>
          <dt>{t('client.mustLeaveReceptionBy')}</dt>
          <dd>{format.calendarDate(legal.mustLeaveReceptionBy)}</dd>
        </dl>
      ) : (
        <p className="muted">{t('client.notShared')}</p>
      )}
      {registered && (
        <>
          <h3>{t('caseload.reminders')}</h3>
          <QueryState query={reminders}>
            {(data) => <ReminderList items={(data.items ?? []) as unknown as ReminderView[]} withClient={false} />}
          </QueryState>
        </>
      )}
      {editing && (
        <Form
          label={t('client.changeLegalStatus')}
          onSubmit={() => change.mutate()}
          error={change.error}
          actions={<SubmitOrCancel label={t('common.save')} onCancel={() => setEditing(false)} />}
        >
          <LegalStatusFields base="" value={draft} onChange={setDraft} />
        </Form>
      )}
    </Section>
  );
}

function NeedsSection(props: { client: ClientCase }) {
  const { t } = useTranslation();
  const format = useFormat();
  const needs = needsOf(props.client);
  const [adding, setAdding] = useState(false);
  const [category, setCategory] = useState('');
  const [priority, setPriority] = useState<NeedView['priority']>('medium');
  const [notes, setNotes] = useState('');
  const refresh = useRefreshClient(props.client.clientId);
  const assess = useMutation({
    mutationFn: () =>
      unwrap(
        referrals.POST('/v1/clients/{clientId}/needs', {
          params: { path: { clientId: props.client.clientId }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { category: category as NeedView['category'], priority, ...(notes ? { notes } : {}) },
        }),
      ),
    onSuccess: async () => {
      await refresh();
      setAdding(false);
      setCategory('');
      setNotes('');
    },
  });
  return (
    <Section
      title={t('client.needs')}
      id="needs"
      actions={
        !adding ? (
          <button type="button" className="button-secondary" onClick={() => setAdding(true)}>
            {t('needs.assess')}
          </button>
        ) : null
      }
    >
      {needs.length === 0 ? (
        <p className="muted">{t('needs.none')}</p>
      ) : (
        <ul className="plain needs">
          {needs.map((need) => (
            <NeedItem key={need.needId} need={need} clientId={props.client.clientId} />
          ))}
        </ul>
      )}
      {adding && (
        <Form
          label={t('needs.assess')}
          onSubmit={() => assess.mutate()}
          error={assess.error}
          actions={
            <SubmitOrCancel label={t('needs.record')} onCancel={() => setAdding(false)} pending={assess.isPending} />
          }
        >
          <div className="row">
            <SelectField
              label={t('needs.category')}
              pointer="/category"
              value={category}
              placeholder={t('common.choose')}
              required
              options={SERVICE_CATEGORIES.map((c) => ({ value: c, label: t(`vocab.category.${c}`) }))}
              onChange={setCategory}
            />
            <SelectField
              label={t('needs.priority')}
              pointer="/priority"
              value={priority}
              options={NEED_PRIORITIES.map((p) => ({ value: p, label: t(`vocab.priority.${p}`) }))}
              onChange={(v) => setPriority(v as NeedView['priority'])}
            />
          </div>
          <TextField
            label={t('needs.notes')}
            pointer="/notes"
            multiline
            value={notes}
            onChange={setNotes}
            hint={t('needs.notesHint')}
          />
        </Form>
      )}
      <p className="hint">
        {t('needs.openCount', { n: format.number(needs.filter((n) => n.status === 'open').length) })}
      </p>
    </Section>
  );
}

function NeedItem(props: { need: NeedView; clientId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { need } = props;
  const [action, setAction] = useState<'reassess' | 'close' | null>(null);
  const [priority, setPriority] = useState(need.priority);
  const [reason, setReason] = useState('');
  const refresh = useRefreshClient(props.clientId);
  const done = async () => {
    await refresh();
    setAction(null);
  };
  const reassess = useMutation({
    mutationFn: () =>
      unwrap(
        referrals.POST('/v1/clients/{clientId}/needs/{needId}/reassess', {
          params: { path: { clientId: props.clientId, needId: need.needId } },
          body: { priority },
        }),
      ),
    onSuccess: done,
  });
  const close = useMutation({
    mutationFn: () =>
      unwrap(
        referrals.POST('/v1/clients/{clientId}/needs/{needId}/close', {
          params: { path: { clientId: props.clientId, needId: need.needId } },
          body: { reason: { code: reason } },
        }),
      ),
    onSuccess: done,
  });
  return (
    <li className="need">
      <div className="need-head">
        <strong>{t(`vocab.category.${need.category}`)}</strong>
        <span className={`badge priority-${need.priority}`}>{t(`vocab.priority.${need.priority}`)}</span>
        <span className={`badge ${need.status === 'open' ? 'badge-open' : 'badge-closed'}`}>
          {t(`needs.status.${need.status}`)}
        </span>
        <span className="muted">{t('needs.since', { date: format.calendarDate(need.openedAt) })}</span>
      </div>
      {need.history && need.history.length > 0 && (
        <details>
          <summary>{t('needs.history')}</summary>
          <ol className="plain">
            {need.history.map((h) => (
              <li key={h.assessmentId}>
                {format.dateTime(h.at)} · {t(`vocab.priority.${h.priority}`)}
              </li>
            ))}
          </ol>
        </details>
      )}
      {need.status === 'open' && (
        <div className="actions">
          <Link
            className="button-link"
            to="/clients/$clientId/needs/$needId/suggestions"
            params={{ clientId: props.clientId, needId: need.needId }}
          >
            {t('needs.findServices')}
          </Link>
          <button type="button" className="button-secondary" onClick={() => setAction('reassess')}>
            {t('needs.reassess')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setAction('close')}>
            {t('needs.close')}
          </button>
        </div>
      )}
      {action === 'reassess' && (
        <Form
          label={t('needs.reassess')}
          onSubmit={() => reassess.mutate()}
          error={reassess.error}
          actions={<SubmitOrCancel label={t('common.save')} onCancel={() => setAction(null)} />}
        >
          <SelectField
            label={t('needs.priority')}
            pointer="/priority"
            value={priority}
            options={NEED_PRIORITIES.map((p) => ({ value: p, label: t(`vocab.priority.${p}`) }))}
            onChange={(v) => setPriority(v as NeedView['priority'])}
          />
        </Form>
      )}
      {action === 'close' && (
        <Form
          label={t('needs.close')}
          onSubmit={() => close.mutate()}
          error={close.error}
          actions={<SubmitOrCancel label={t('needs.close')} onCancel={() => setAction(null)} />}
        >
          <ReasonSelect pointer="/reason/code" codes={REASONS.closeNeed} value={reason} onChange={setReason} />
        </Form>
      )}
    </li>
  );
}

export function ReasonSelect(props: {
  pointer: string;
  codes: readonly string[];
  value: string;
  onChange: (v: string) => void;
  label?: string;
}) {
  const { t } = useTranslation();
  return (
    <SelectField
      label={props.label ?? t('common.reason')}
      pointer={props.pointer}
      value={props.value}
      placeholder={t('common.choose')}
      required
      options={props.codes.map((c) => ({ value: c, label: t(`vocab.reason.${c}`) }))}
      onChange={props.onChange}
    />
  );
}

function ConsentsSection(props: { client: ClientCase }) {
  const { t } = useTranslation();
  const consents = consentsOf(props.client);
  const [adding, setAdding] = useState(false);
  return (
    <Section
      title={t('client.consents')}
      id="consents"
      actions={
        props.client.access === 'registered' && !adding ? (
          <button type="button" className="button-secondary" onClick={() => setAdding(true)}>
            {t('consent.give')}
          </button>
        ) : null
      }
    >
      {consents.length === 0 ? (
        <p className="muted">{t('consent.none')}</p>
      ) : (
        <ul className="plain consents">
          {consents.map((c) => (
            <ConsentItem key={c.consentId} consent={c} clientId={props.client.clientId} />
          ))}
        </ul>
      )}
      {adding && (
        <ConsentForm
          clientId={props.client.clientId}
          onDone={() => setAdding(false)}
          onCancel={() => setAdding(false)}
        />
      )}
    </Section>
  );
}

function ConsentItem(props: { consent: ConsentView; clientId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { consent } = props;
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const refresh = useRefreshClient(props.clientId);
  const withdraw = useMutation({
    mutationFn: () =>
      unwrap(
        referrals.POST('/v1/clients/{clientId}/consents/{consentId}/withdraw', {
          params: { path: { clientId: props.clientId, consentId: consent.consentId } },
          body: reason ? { reason: { code: reason } } : {},
        }),
      ),
    onSuccess: async () => {
      await refresh();
      setWithdrawing(false);
    },
  });
  const inForce = consentInForce(consent);
  const state = consent.withdrawnAt ? 'withdrawn' : inForce ? 'inForce' : 'expired';
  return (
    <li className="consent">
      <div className="need-head">
        <strong>{t(`vocab.purpose.${consent.purpose}`)}</strong>
        <span className={`badge consent-${state}`}>{t(`consent.state.${state}`)}</span>
        <span>
          {consent.recipient?.organisationId && <OrganisationName id={consent.recipient.organisationId} />}
          {consent.recipient?.organisationId && consent.recipient?.serviceCategory && ' · '}
          {consent.recipient?.serviceCategory && t(`vocab.category.${consent.recipient.serviceCategory}`)}
        </span>
      </div>
      <p>
        {t('consent.shares.title')}: {consent.scope.map((s) => t(`vocab.scope.${s}`)).join(', ')}
      </p>
      <p className="muted">
        {t('consent.given', {
          date: format.dateTime(consent.givenAt),
          method: t(`vocab.consentMethod.${consent.method}`),
        })}
        {consent.expiresAt && ` · ${t('consent.expires', { date: format.calendarDate(consent.expiresAt) })}`}
        {consent.withdrawnAt && ` · ${t('consent.withdrawnOn', { date: format.dateTime(consent.withdrawnAt) })}`}
      </p>
      {inForce && !consent.withdrawnAt && !withdrawing && (
        <button type="button" className="button-secondary" onClick={() => setWithdrawing(true)}>
          {t('consent.withdraw')}
        </button>
      )}
      {withdrawing && (
        <Form
          label={t('consent.withdraw')}
          onSubmit={() => withdraw.mutate()}
          error={withdraw.error}
          actions={<SubmitOrCancel label={t('consent.withdrawNow')} onCancel={() => setWithdrawing(false)} danger />}
        >
          <p>{t('consent.withdrawWarning')}</p>
          <ReasonSelect pointer="/reason/code" codes={REASONS.withdrawConsent} value={reason} onChange={setReason} />
        </Form>
      )}
    </li>
  );
}

function ReferralsSection(props: { client: ClientCase }) {
  const { t } = useTranslation();
  const format = useFormat();
  const list = [...props.client.referrals].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  return (
    <Section title={t('client.referrals')} id="referrals">
      {list.length === 0 ? (
        <p className="muted">{t('referrals.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('referrals.category')}</th>
              <th scope="col">{t('referrals.to')}</th>
              <th scope="col">{t('referrals.status')}</th>
              <th scope="col">{t('referrals.requested')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.referralId}>
                <td>
                  <Link to="/referrals/$referralId" params={{ referralId: r.referralId }}>
                    {t(`vocab.category.${r.category}`)}
                  </Link>
                </td>
                <td>
                  <OrganisationName id={r.receiverOrganisationId} />
                </td>
                <td>
                  <StatusBadge status={r.status} />{' '}
                  {isOverdue(r) && <span className="badge badge-overdue">{t('referrals.overdue')}</span>}
                </td>
                <td>{format.calendarDate(r.requestedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
