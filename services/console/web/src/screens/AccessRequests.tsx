import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import type { components } from '@estia/contracts/generated/openapi.referrals.js';
import { referrals, unwrap } from '../api/clients.js';
import { OrganisationName, QueryState } from '../components/display.js';
import { CheckboxGroup, Form, SelectField, SubmitOrCancel } from '../components/form.js';
import { useFormat } from '../i18n/format.js';
import { CONSENT_METHODS, REASONS, type ConsentScope } from '../vocabulary.js';
import { ReasonSelect } from './ClientPage.js';

type AccessRequest = components['schemas']['AccessRequest'];
type Box = 'incoming' | 'outgoing';
type Method = (typeof CONSENT_METHODS)[number];

/**
 * Access requests: received (another member asks for a client this organisation holds: approve with the
 * client's consent, decline with a reason, later revoke) and sent (wait, withdraw, open once approved).
 */
export function AccessRequests() {
  const { t } = useTranslation();
  const search = useSearch({ strict: false }) as { box?: Box };
  const box: Box = search.box === 'outgoing' ? 'outgoing' : 'incoming';
  const list = useInfiniteQuery({
    queryKey: ['access-requests', box],
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor ?? undefined,
    queryFn: async ({ pageParam }) =>
      (
        await unwrap(
          referrals.GET('/v1/access-requests', {
            params: { query: { box, limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } },
          }),
        )
      ).data,
  });
  return (
    <div>
      <h1>{t('access.title')}</h1>
      <p className="hint">{t('access.intro')}</p>
      <div className="tabs" role="group" aria-label={t('access.boxes')}>
        {(['incoming', 'outgoing'] as const).map((b) => (
          <Link
            key={b}
            to="/access-requests"
            search={{ box: b }}
            className={`tab${box === b ? ' tab-active' : ''}`}
            aria-current={box === b ? 'page' : undefined}
          >
            {t(`access.${b}`)}
          </Link>
        ))}
      </div>
      <QueryState query={list}>
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (items.length === 0) return <p className="muted">{t('access.empty')}</p>;
          return (
            <>
              <ul className="plain cards">
                {items.map((r) => (
                  <AccessRequestCard key={r.accessRequestId} request={r} box={box} />
                ))}
              </ul>
              {list.hasNextPage && (
                <button
                  type="button"
                  className="button-secondary"
                  disabled={list.isFetchingNextPage}
                  onClick={() => void list.fetchNextPage()}
                >
                  {t('common.more')}
                </button>
              )}
            </>
          );
        }}
      </QueryState>
    </div>
  );
}

function AccessRequestCard(props: { request: AccessRequest; box: Box }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const r = props.request;
  const [action, setAction] = useState<'approve' | 'decline' | 'revoke' | null>(null);
  const [scope, setScope] = useState<ConsentScope[]>(r.scope);
  const [method, setMethod] = useState<Method | ''>('');
  const [reason, setReason] = useState('');
  const headingId = `access-${r.accessRequestId}`;
  const path = { params: { path: { accessRequestId: r.accessRequestId } } };
  const answer = useMutation({
    mutationFn: async (which: 'approve' | 'decline' | 'revoke' | 'withdraw') => {
      switch (which) {
        case 'approve':
          return unwrap(
            referrals.POST('/v1/access-requests/{accessRequestId}/approve', {
              ...path,
              body: { consent: { purpose: r.purpose, scope, method: method as Method } },
            }),
          );
        case 'decline':
          return unwrap(
            referrals.POST('/v1/access-requests/{accessRequestId}/decline', {
              ...path,
              body: { reason: { code: reason } },
            }),
          );
        case 'revoke':
          return unwrap(
            referrals.POST('/v1/access-requests/{accessRequestId}/revoke', {
              ...path,
              body: { reason: { code: reason } },
            }),
          );
        case 'withdraw':
          return unwrap(referrals.POST('/v1/access-requests/{accessRequestId}/withdraw', path));
      }
    },
    onSuccess: async () => {
      setAction(null);
      await queryClient.invalidateQueries({ queryKey: ['access-requests'] });
      await queryClient.invalidateQueries({ queryKey: ['caseload'] });
    },
  });
  return (
    <li className="card" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        <span className={`badge access-${r.status}`}>{t(`vocab.accessStatus.${r.status}`)}</span>{' '}
        {props.box === 'incoming' ? (
          <>
            {t('access.from')} <OrganisationName id={r.requesterOrganisationId} />
          </>
        ) : (
          <>
            {t('access.askedOn', { date: format.dateTime(r.requestedAt) })}
            {r.answeredByOrganisationId && (
              <>
                {' · '}
                {t('access.holder')} <OrganisationName id={r.answeredByOrganisationId} />
              </>
            )}
          </>
        )}
      </h2>
      <dl className="facts">
        <dt>{t('access.purpose')}</dt>
        <dd>{t(`vocab.purpose.${r.purpose}`, { defaultValue: r.purpose })}</dd>
        <dt>{t('access.scope')}</dt>
        <dd>{r.scope.map((s) => t(`vocab.scope.${s}`)).join(', ')}</dd>
        <dt>{t('access.requestedAt')}</dt>
        <dd>{format.dateTime(r.requestedAt)}</dd>
        {r.status === 'requested' && (
          <>
            <dt>{t('access.expiresAt')}</dt>
            <dd>{format.dateTime(r.expiresAt)}</dd>
          </>
        )}
        {r.reasonCode && (
          <>
            <dt>{t('common.reason')}</dt>
            <dd>{t(`vocab.reason.${r.reasonCode}`, { defaultValue: r.reasonCode })}</dd>
          </>
        )}
      </dl>
      {r.clientId && (
        <p>
          <Link to="/clients/$clientId" params={{ clientId: r.clientId }}>
            {t('caseload.openCase')}
          </Link>
        </p>
      )}
      {action === null && (
        <div className="actions">
          {props.box === 'incoming' && r.status === 'requested' && (
            <>
              <button type="button" onClick={() => setAction('approve')}>
                {t('access.approve')}
              </button>
              <button type="button" className="button-secondary" onClick={() => setAction('decline')}>
                {t('access.decline')}
              </button>
            </>
          )}
          {props.box === 'incoming' && r.status === 'approved' && (
            <button type="button" className="button-secondary" onClick={() => setAction('revoke')}>
              {t('access.revoke')}
            </button>
          )}
          {props.box === 'outgoing' && r.status === 'requested' && (
            <button
              type="button"
              className="button-secondary"
              disabled={answer.isPending}
              onClick={() => answer.mutate('withdraw')}
            >
              {t('access.withdraw')}
            </button>
          )}
        </div>
      )}
      {action === 'approve' && (
        <Form
          label={t('access.approve')}
          error={answer.error}
          onSubmit={() => answer.mutate('approve')}
          actions={
            <SubmitOrCancel label={t('access.approve')} pending={answer.isPending} onCancel={() => setAction(null)} />
          }
        >
          <p className="hint">{t('access.approveHint')}</p>
          <CheckboxGroup
            legend={t('access.consentScope')}
            pointer="/consent/scope"
            options={r.scope.map((s) => ({ value: s, label: t(`vocab.scope.${s}`) }))}
            selected={scope}
            onChange={setScope}
          />
          <SelectField
            label={t('consent.method')}
            pointer="/consent/method"
            required
            value={method}
            placeholder={t('common.choose')}
            options={CONSENT_METHODS.map((m) => ({ value: m, label: t(`vocab.consentMethod.${m}`) }))}
            onChange={(v) => setMethod(v as Method)}
          />
        </Form>
      )}
      {(action === 'decline' || action === 'revoke') && (
        <Form
          label={t(`access.${action}`)}
          error={answer.error}
          onSubmit={() => answer.mutate(action)}
          actions={
            <SubmitOrCancel
              label={t(`access.${action}`)}
              pending={answer.isPending}
              danger
              onCancel={() => setAction(null)}
            />
          }
        >
          <ReasonSelect
            pointer="/reason/code"
            codes={action === 'decline' ? REASONS.declineAccess : REASONS.revokeAccess}
            value={reason}
            onChange={setReason}
          />
        </Form>
      )}
    </li>
  );
}
