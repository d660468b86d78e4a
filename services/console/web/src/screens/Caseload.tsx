import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { referrals, unwrap } from '../api/clients.js';
import { countsQuery } from '../api/queries.js';
import { QueryState } from '../components/display.js';
import { TextField } from '../components/form.js';
import { useFormat } from '../i18n/format.js';

const OPEN = new Set(['requested', 'accepted', 'in-progress', 'on-hold']);
/** The first page is what an officer sees on arrival: small enough to answer fast, search for the rest. */
const PAGE = 25;

/** The organisation's caseload, searched by name or date of birth (the API's blind-indexed search). */
export const useCaseload = (q: string) =>
  useInfiniteQuery({
    queryKey: ['caseload', q],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      (
        await unwrap(
          referrals.GET('/v1/clients', {
            params: { query: { limit: PAGE, ...(q ? { q } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
          }),
        )
      ).data,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/**
 * The officer's first screen: the counts of work waiting (overdue first), the organisation's clients
 * with a search, and the deadlines coming up.
 */
export function Caseload() {
  const { t } = useTranslation();
  const format = useFormat();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const caseload = useCaseload(q);
  const counts = useQuery(countsQuery);
  const reminders = useQuery({
    queryKey: ['reminders'],
    queryFn: async () => (await unwrap(referrals.GET('/v1/reminders', { params: { query: { limit: 20 } } }))).data,
  });
  const sum = (side: Record<string, number> | undefined, open = false) =>
    Object.entries(side ?? {}).reduce((n, [status, count]) => n + (!open || OPEN.has(status) ? count : 0), 0);
  const overdueReceived = counts.data?.overdue.received ?? 0;
  const overdueSent = counts.data?.overdue.sent ?? 0;
  const rows = caseload.data?.pages.flatMap((p) => p.items) ?? [];

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
        <Link
          className={overdueReceived > 0 ? 'stat stat-alert' : 'stat'}
          to="/referrals"
          search={{ box: 'inbox', overdue: true }}
        >
          <span className="stat-value">{format.number(overdueReceived)}</span>
          <span className="stat-label">{t('caseload.overdueReceived')}</span>
        </Link>
        <Link className="stat" to="/referrals" search={{ box: 'inbox' }}>
          <span className="stat-value">{format.number(sum(counts.data?.received, true))}</span>
          <span className="stat-label">{t('caseload.openReceived')}</span>
        </Link>
        <Link className="stat" to="/referrals" search={{ box: 'outbox' }}>
          <span className="stat-value">{format.number(sum(counts.data?.sent, true))}</span>
          <span className="stat-label">{t('caseload.openSent')}</span>
        </Link>
        <Link
          className={overdueSent > 0 ? 'stat stat-alert' : 'stat'}
          to="/referrals"
          search={{ box: 'outbox', overdue: true }}
        >
          <span className="stat-value">{format.number(overdueSent)}</span>
          <span className="stat-label">{t('caseload.overdueSent')}</span>
        </Link>
      </div>
      <section className="card" aria-labelledby="clients-heading">
        <h2 id="clients-heading">{t('caseload.clients')}</h2>
        <form
          className="search-row"
          role="search"
          aria-label={t('caseload.search')}
          onSubmit={(e) => {
            e.preventDefault();
            setQ(typed.trim());
          }}
        >
          <TextField
            label={t('caseload.searchLabel')}
            hint={t('caseload.searchHint')}
            type="search"
            value={typed}
            onChange={setTyped}
          />
          <button type="submit">{t('caseload.searchSubmit')}</button>
        </form>
        <QueryState query={caseload}>
          {() =>
            rows.length === 0 ? (
              <p className="muted">{q ? t('caseload.noMatch') : t('caseload.empty')}</p>
            ) : (
              <>
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('caseload.client')}</th>
                      <th scope="col">{t('caseload.dateOfBirth')}</th>
                      <th scope="col">{t('caseload.access')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.clientId}>
                        <td>
                          <Link to="/clients/$clientId" params={{ clientId: row.clientId }}>
                            <bdi>{`${row.givenNames} ${row.familyName}`.trim() || t('caseload.nameNotShared')}</bdi>
                          </Link>
                        </td>
                        <td>{row.dateOfBirth ? format.calendarDate(row.dateOfBirth) : '—'}</td>
                        <td>{t(`caseload.accessBasis.${row.access}`)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {caseload.hasNextPage && (
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={caseload.isFetchingNextPage}
                    onClick={() => void caseload.fetchNextPage()}
                  >
                    {t('common.more')}
                  </button>
                )}
              </>
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
