import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { referrals, unwrap } from '../api/clients.js';
import { clientQuery, countsQuery, personalOf, type Referral } from '../api/queries.js';
import { isOverdue, QueryState, StatusBadge } from '../components/display.js';
import { TextField } from '../components/form.js';
import { useFormat } from '../i18n/format.js';

const OPEN = new Set(['requested', 'accepted', 'in-progress', 'on-hold']);

/**
 * The officer's first screen: the clients of the organisation's open work, its counts, and deadlines.
 * Until the referrals API lists an organisation's clients (a caseload search), the list is drawn from the
 * first page of the inbox and the outbox; each client's name comes from the case itself.
 */
export function Caseload() {
  const { t } = useTranslation();
  const format = useFormat();
  const [filter, setFilter] = useState('');
  const boxes = useQuery({
    queryKey: ['caseload-referrals'],
    queryFn: async () => {
      const [inbox, outbox] = await Promise.all(
        (['inbox', 'outbox'] as const).map(
          async (box) =>
            (await unwrap(referrals.GET('/v1/referrals', { params: { query: { box, limit: 100 } } }))).data.items,
        ),
      );
      return [...inbox!, ...outbox!];
    },
  });
  const counts = useQuery(countsQuery);
  const reminders = useQuery({
    queryKey: ['reminders'],
    queryFn: async () => (await unwrap(referrals.GET('/v1/reminders', { params: { query: { limit: 20 } } }))).data,
  });
  const byClient = useMemo(() => {
    const map = new Map<string, Referral[]>();
    for (const r of boxes.data ?? []) map.set(r.clientId, [...(map.get(r.clientId) ?? []), r]);
    return map;
  }, [boxes.data]);
  const clientIds = [...byClient.keys()];
  const cases = useQueries({ queries: clientIds.map((id) => ({ ...clientQuery(id), retry: false })) });
  const nameOf = (index: number): string => {
    const personal = cases[index]?.data ? personalOf(cases[index].data) : undefined;
    return personal?.givenNames || personal?.familyName
      ? `${personal.givenNames ?? ''} ${personal.familyName ?? ''}`.trim()
      : t('caseload.nameNotShared');
  };
  const needle = filter.trim().toLocaleLowerCase();
  const rows = clientIds
    .map((id, index) => ({ id, name: nameOf(index), referrals: byClient.get(id)! }))
    .filter((row) => !needle || row.name.toLocaleLowerCase().includes(needle));
  const sum = (side: Record<string, number> | undefined, open = false) =>
    Object.entries(side ?? {}).reduce((n, [status, count]) => n + (!open || OPEN.has(status) ? count : 0), 0);

  return (
    <div>
      <div className="page-header">
        <h1>{t('caseload.title')}</h1>
        <Link className="button-link" to="/clients/new">
          {t('caseload.register')}
        </Link>
      </div>
      <div className="stats" role="group" aria-label={t('caseload.counts')}>
        <Link className="stat" to="/referrals" search={{ box: 'inbox', status: 'requested' }}>
          <span className="stat-value">{format.number(counts.data?.received.requested ?? 0)}</span>
          <span className="stat-label">{t('caseload.waitingForYou')}</span>
        </Link>
        <Link className="stat" to="/referrals" search={{ box: 'inbox' }}>
          <span className="stat-value">{format.number(sum(counts.data?.received, true))}</span>
          <span className="stat-label">{t('caseload.openReceived')}</span>
        </Link>
        <Link className="stat" to="/referrals" search={{ box: 'outbox' }}>
          <span className="stat-value">{format.number(sum(counts.data?.sent, true))}</span>
          <span className="stat-label">{t('caseload.openSent')}</span>
        </Link>
      </div>
      <section className="card" aria-labelledby="clients-heading">
        <h2 id="clients-heading">{t('caseload.clients')}</h2>
        <p className="hint">{t('caseload.scopeNote')}</p>
        <TextField label={t('caseload.filter')} type="search" value={filter} onChange={setFilter} />
        <QueryState query={boxes}>
          {() =>
            rows.length === 0 ? (
              <p className="muted">{t('caseload.empty')}</p>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('caseload.client')}</th>
                    <th scope="col">{t('caseload.referrals')}</th>
                    <th scope="col">{t('caseload.latest')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => {
                    const latest = [...row.referrals].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))[0]!;
                    return (
                      <tr key={row.id}>
                        <td>
                          <Link to="/clients/$clientId" params={{ clientId: row.id }}>
                            {row.name}
                          </Link>
                        </td>
                        <td>{format.number(row.referrals.length)}</td>
                        <td>
                          <StatusBadge status={latest.status} /> {t(`vocab.category.${latest.category}`)} ·{' '}
                          {format.calendarDate(latest.requestedAt)}
                          {row.referrals.some((r) => isOverdue(r)) && (
                            <span className="badge badge-overdue">{t('referrals.overdue')}</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )
          }
        </QueryState>
      </section>
      <section className="card" aria-labelledby="reminders-heading">
        <h2 id="reminders-heading">{t('caseload.reminders')}</h2>
        <QueryState query={reminders}>
          {(data) => <ReminderList items={(data.items ?? []) as unknown as ReminderView[]} />}
        </QueryState>
      </section>
    </div>
  );
}

/** A deadline reminder as the referrals service lists it (the contract types the items loosely). */
export interface ReminderView {
  reminderId: string;
  clientId: string;
  deadline: 'residence_permit' | 'work_permit' | 'reception_exit';
  thresholdDays: number;
  dueDate: string;
  issuedAt: string;
}

export function ReminderList(props: { items: ReminderView[]; withClient?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (props.items.length === 0) return <p className="muted">{t('caseload.noReminders')}</p>;
  return (
    <ul className="plain">
      {props.items.map((r) => (
        <li key={r.reminderId}>
          <span className="badge badge-warning">{t(`reminder.${r.deadline}`)}</span>{' '}
          {t('reminder.due', { date: format.calendarDate(r.dueDate) })}
          {props.withClient !== false && (
            <>
              {' · '}
              <Link to="/clients/$clientId" params={{ clientId: r.clientId }}>
                {t('caseload.openCase')}
              </Link>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
