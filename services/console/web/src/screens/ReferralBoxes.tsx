import { useTranslation } from 'react-i18next';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { referrals, unwrap } from '../api/clients.js';
import { countsQuery } from '../api/queries.js';
import { isOverdue, OrganisationName, QueryState, StatusBadge } from '../components/display.js';
import { useFormat } from '../i18n/format.js';
import { REFERRAL_STATUSES } from '../vocabulary.js';

/** Inbox and outbox: by status, or only the overdue ones, with counts per status and pages on demand. */
export function ReferralBoxes() {
  const { t } = useTranslation();
  const format = useFormat();
  const search = useSearch({ strict: false }) as {
    box: 'inbox' | 'outbox';
    status?: (typeof REFERRAL_STATUSES)[number];
    overdue?: boolean;
  };
  const navigate = useNavigate();
  const counts = useQuery(countsQuery);
  const side = search.box === 'inbox' ? counts.data?.received : counts.data?.sent;
  const overdueOf = (box: 'inbox' | 'outbox') =>
    (box === 'inbox' ? counts.data?.overdue.received : counts.data?.overdue.sent) ?? 0;
  const list = useInfiniteQuery({
    queryKey: ['referrals', search],
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor ?? undefined,
    queryFn: async ({ pageParam }) =>
      (
        await unwrap(
          referrals.GET('/v1/referrals', {
            params: {
              query: {
                box: search.box,
                limit: 25,
                ...(search.status ? { status: search.status } : {}),
                ...(search.overdue ? { overdue: 'true' as const } : {}),
                ...(pageParam ? { cursor: pageParam } : {}),
              },
            },
          }),
        )
      ).data,
  });
  const total = Object.values(side ?? {}).reduce((n, c) => n + c, 0);
  const go = (patch: Partial<typeof search>) =>
    void navigate({ to: '/referrals', search: { box: search.box, ...patch } });
  return (
    <div>
      <h1>{t('referrals.title')}</h1>
      <div className="tabs" role="group" aria-label={t('referrals.boxes')}>
        {(['inbox', 'outbox'] as const).map((box) => (
          <Link
            key={box}
            to="/referrals"
            search={{ box }}
            className={`tab${search.box === box ? ' tab-active' : ''}`}
            aria-current={search.box === box ? 'page' : undefined}
          >
            {t(`referrals.${box}`)}{' '}
            <span className="count">
              {format.number(
                Object.values((box === 'inbox' ? counts.data?.received : counts.data?.sent) ?? {}).reduce(
                  (n, c) => n + c,
                  0,
                ),
              )}
            </span>
            {overdueOf(box) > 0 && (
              <span className="badge badge-overdue">
                {t('referrals.overdueCount', { formatted: format.number(overdueOf(box)) })}
              </span>
            )}
          </Link>
        ))}
      </div>
      <div className="chips" role="group" aria-label={t('referrals.filterByStatus')}>
        <button
          type="button"
          className={`chip${!search.status && !search.overdue ? ' chip-active' : ''}`}
          aria-pressed={!search.status && !search.overdue}
          onClick={() => go({})}
        >
          {t('referrals.all')} <span className="count">{format.number(total)}</span>
        </button>
        <button
          type="button"
          className={`chip chip-overdue${search.overdue ? ' chip-active' : ''}`}
          aria-pressed={search.overdue === true}
          onClick={() => go({ overdue: true })}
        >
          {t('referrals.overdue')} <span className="count">{format.number(overdueOf(search.box))}</span>
        </button>
        {REFERRAL_STATUSES.map((status) => (
          <button
            type="button"
            key={status}
            className={`chip${search.status === status ? ' chip-active' : ''}`}
            aria-pressed={search.status === status}
            onClick={() => go({ status })}
          >
            {t(`vocab.referralStatus.${status}`)} <span className="count">{format.number(side?.[status] ?? 0)}</span>
          </button>
        ))}
      </div>
      <QueryState query={list}>
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (items.length === 0) return <p className="muted">{t('referrals.empty')}</p>;
          return (
            <>
              <table className="table">
                <caption className="visually-hidden">{t(`referrals.${search.box}`)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('referrals.category')}</th>
                    <th scope="col">{search.box === 'inbox' ? t('referrals.from') : t('referrals.to')}</th>
                    <th scope="col">{t('referrals.status')}</th>
                    <th scope="col">{t('referrals.requested')}</th>
                    <th scope="col">{t('referrals.respondBy')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.referralId}>
                      <td>
                        <Link to="/referrals/$referralId" params={{ referralId: r.referralId }}>
                          {t(`vocab.category.${r.category}`)}
                        </Link>
                        {r.consentOverridden && (
                          <span className="badge badge-warning">{t('referrals.overridden')}</span>
                        )}
                      </td>
                      <td>
                        <OrganisationName
                          id={search.box === 'inbox' ? r.senderOrganisationId : r.receiverOrganisationId}
                        />
                      </td>
                      <td>
                        <StatusBadge status={r.status} />
                        {isOverdue(r) && <span className="badge badge-overdue">{t('referrals.overdue')}</span>}
                      </td>
                      <td>{format.dateTime(r.requestedAt)}</td>
                      <td>{format.dateTime(r.respondBy)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {list.hasNextPage && (
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => void list.fetchNextPage()}
                  disabled={list.isFetchingNextPage}
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
