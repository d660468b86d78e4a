import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { referrals, unwrap } from '../api/clients.js';
import { OrganisationName, QueryState, Section } from '../components/display.js';
import { Form, SubmitOrCancel, TextField } from '../components/form.js';
import { useFormat } from '../i18n/format.js';
import { ERASURE_REASONS } from '../vocabulary.js';
import { useCaseload } from './Caseload.js';
import { ReasonSelect } from './ClientPage.js';

interface Receipt {
  clientId: string;
  name: string;
  reasonCode: string;
  at: string;
  version: string | null;
}

/**
 * The data protection officer's desk: find a client of the organisation's caseload, erase them with a
 * reason (the API destroys their key and tells the other holders), keep the receipt; past erasures.
 */
export function Erasure() {
  const { t } = useTranslation();
  const format = useFormat();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [receipts, setReceipts] = useState<Receipt[]>([]);
  const caseload = useCaseload(q);
  const rows = caseload.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div>
      <h1>{t('erasure.title')}</h1>
      <p className="hint">{t('erasure.intro')}</p>
      <Section title={t('erasure.find')} id="find">
        <form
          className="search-row"
          role="search"
          aria-label={t('erasure.find')}
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
              <ul className="plain cards">
                {rows.map((row) => (
                  <ErasableClient
                    key={row.clientId}
                    clientId={row.clientId}
                    name={`${row.givenNames} ${row.familyName}`.trim()}
                    dateOfBirth={row.dateOfBirth}
                    onErased={(receipt) => setReceipts((r) => [receipt, ...r])}
                  />
                ))}
              </ul>
            )
          }
        </QueryState>
      </Section>
      {receipts.map((r) => (
        <div key={r.clientId} className="alert alert-ok" role="status" aria-labelledby={`receipt-${r.clientId}`}>
          <h2 id={`receipt-${r.clientId}`}>{t('erasure.receipt')}</h2>
          <p>
            {t('erasure.receiptText', {
              clientId: r.clientId,
              date: format.dateTime(r.at),
              reason: t(`vocab.reason.${r.reasonCode}`),
            })}
          </p>
          {r.version && (
            <p className="muted">
              {t('erasure.version')}: <span className="mono">{r.version}</span>
            </p>
          )}
        </div>
      ))}
      <PastErasures />
    </div>
  );
}

function ErasableClient(props: {
  clientId: string;
  name: string;
  dateOfBirth: string;
  onErased: (receipt: Receipt) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const erase = useMutation({
    mutationFn: async () =>
      unwrap(
        referrals.DELETE('/v1/clients/{clientId}', {
          params: { path: { clientId: props.clientId } },
          body: reason ? { reason: { code: reason } } : {},
        }),
      ),
    onSuccess: async ({ response }) => {
      props.onErased({
        clientId: props.clientId,
        name: props.name,
        reasonCode: reason,
        at: new Date().toISOString(),
        version: response.headers.get('etag'),
      });
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['caseload'] });
    },
  });
  const headingId = `erasable-${props.clientId}`;
  return (
    <li className="card" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-title">
        <bdi>{props.name}</bdi> · {props.dateOfBirth ? format.calendarDate(props.dateOfBirth) : '—'}
      </h3>
      {!open ? (
        <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
          {t('erasure.erase')}
        </button>
      ) : (
        <Form
          label={t('erasure.confirm')}
          error={erase.error}
          onSubmit={() => erase.mutate()}
          actions={
            <SubmitOrCancel
              label={t('erasure.confirm')}
              danger
              pending={erase.isPending}
              onCancel={() => setOpen(false)}
            />
          }
        >
          <p>{t('erasure.confirmText', { name: props.name })}</p>
          <ReasonSelect pointer="/reason" codes={ERASURE_REASONS} value={reason} onChange={setReason} />
        </Form>
      )}
    </li>
  );
}

function PastErasures() {
  const { t } = useTranslation();
  const format = useFormat();
  const notices = useInfiniteQuery({
    queryKey: ['erasure-notices'],
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor ?? undefined,
    queryFn: async ({ pageParam }) =>
      (
        await unwrap(
          referrals.GET('/v1/erasure-notices', {
            params: { query: { limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } },
          }),
        )
      ).data,
  });
  return (
    <Section title={t('erasure.past')} id="past">
      <p className="hint">{t('erasure.pastIntro')}</p>
      <QueryState query={notices}>
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (items.length === 0) return <p className="muted">{t('erasure.noPast')}</p>;
          return (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.clientId')}</th>
                  <th scope="col">{t('erasure.by')}</th>
                  <th scope="col">{t('common.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((n) => (
                  <tr key={n.clientId}>
                    <td>{format.dateTime(n.erasedAt)}</td>
                    <td className="mono">{n.clientId}</td>
                    <td>
                      <OrganisationName id={n.erasedByOrganisationId} />
                    </td>
                    <td>{t(`vocab.reason.${n.reasonCode}`, { defaultValue: n.reasonCode })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </QueryState>
    </Section>
  );
}
