import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIsFetching, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { referrals, unwrap } from '../api/clients.js';
import { OrganisationName, QueryState, Section, StatusBadge } from '../components/display.js';
import { Form, TextField } from '../components/form.js';
import { useFormat } from '../i18n/format.js';

export interface AuditSearch {
  clientId?: string | undefined;
  asOf?: string | undefined;
}

/**
 * The auditor's desk: open a client's case (every event with who, which organisation and when), see it
 * as it stood on a date, verify its hash chains; the consent-override report; the auditor's own reads.
 * Every read here is recorded by the referrals service before it answers.
 */
export function Audit() {
  const { t } = useTranslation();
  const search = useSearch({ strict: false }) as AuditSearch;
  const navigate = useNavigate();
  const [clientId, setClientId] = useState(search.clientId ?? '');
  const [asOf, setAsOf] = useState(search.asOf ?? '');
  // Opening a case from the report (a link) fills the form with it.
  useEffect(() => {
    setClientId(search.clientId ?? '');
    setAsOf(search.asOf ?? '');
  }, [search.clientId, search.asOf]);
  return (
    <div>
      <h1>{t('audit.title')}</h1>
      <p className="hint">{t('audit.intro')}</p>
      <Section title={t('audit.openCase')} id="open-case">
        <Form
          label={t('audit.openCase')}
          error={null}
          onSubmit={() =>
            void navigate({
              to: '/audit',
              search: { ...(clientId.trim() ? { clientId: clientId.trim() } : {}), ...(asOf ? { asOf } : {}) },
            })
          }
          actions={<button type="submit">{t('audit.show')}</button>}
        >
          <TextField label={t('audit.clientId')} value={clientId} onChange={setClientId} />
          <TextField label={t('audit.asOf')} hint={t('audit.asOfHint')} type="date" value={asOf} onChange={setAsOf} />
        </Form>
      </Section>
      {search.clientId && <CaseAudit clientId={search.clientId} asOf={search.asOf} />}
      <OverrideReport />
      <OwnReads />
    </div>
  );
}

function CaseAudit(props: { clientId: string; asOf?: string | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const path = { path: { id: props.clientId } };
  const history = useQuery({
    queryKey: ['audit-history', props.clientId, props.asOf ?? null],
    queryFn: async () =>
      (
        await unwrap(
          referrals.GET('/v1/audit/clients/{id}/history', {
            params: { ...path, query: props.asOf ? { asOf: props.asOf } : {} },
          }),
        )
      ).data,
  });
  const verification = useQuery({
    queryKey: ['audit-verify', props.clientId],
    queryFn: async () => (await unwrap(referrals.GET('/v1/audit/clients/{id}/verify', { params: path }))).data,
  });
  return (
    <>
      <Section title={t('audit.chain')} id="chain">
        <QueryState query={verification}>
          {(v) =>
            v.ok ? (
              <div className="alert alert-ok" role="status">
                {t('audit.chainOk', { streams: format.number(v.chains.length) })}
              </div>
            ) : (
              <div className="alert alert-error" role="alert">
                <p>{t('audit.chainBroken')}</p>
                <ul>
                  {v.chains
                    .filter((c) => !c.ok)
                    .map((c) => (
                      <li key={c.streamId}>
                        <span className="mono">{c.streamId}</span>:{' '}
                        {t('audit.brokenAt', { revision: format.number(c.brokenAt ?? 0) })} — {c.reason}
                      </li>
                    ))}
                </ul>
              </div>
            )
          }
        </QueryState>
      </Section>
      <Section
        title={props.asOf ? t('audit.timelineAsOf', { date: format.calendarDate(props.asOf) }) : t('audit.timeline')}
        id="case-timeline"
      >
        <QueryState query={history}>
          {(h) => {
            const shown = props.asOf ? h.events.filter((e) => e.recordedAt <= `${props.asOf}T23:59:59.999Z`) : h.events;
            return (
              <>
                {h.erasedAt && (
                  <div className="alert alert-warning">{t('audit.erased', { date: format.dateTime(h.erasedAt) })}</div>
                )}
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('audit.when')}</th>
                      <th scope="col">{t('audit.what')}</th>
                      <th scope="col">{t('audit.organisation')}</th>
                      <th scope="col">{t('audit.who')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((e) => (
                      <tr key={e.eventId}>
                        <td>{format.dateTime(e.recordedAt)}</td>
                        <td>
                          {t(`vocab.eventType.${e.type}`, { defaultValue: e.type })}
                          {e.personal.status === 'erased' && <span className="badge">{t('audit.personalErased')}</span>}
                        </td>
                        <td>
                          <OrganisationName id={e.organisationId} />
                        </td>
                        <td className="mono">{e.userId ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="muted">{t('audit.eventCount', { formatted: format.number(shown.length) })}</p>
              </>
            );
          }}
        </QueryState>
      </Section>
    </>
  );
}

function OverrideReport() {
  const { t } = useTranslation();
  const format = useFormat();
  const report = useQuery({
    queryKey: ['consent-override-report'],
    queryFn: async () => (await unwrap(referrals.GET('/v1/reports/consent-overrides'))).data,
  });
  return (
    <Section title={t('audit.overrides')} id="overrides">
      <p className="hint">{t('audit.overridesIntro')}</p>
      <QueryState query={report}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="muted">{t('audit.noOverrides')}</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.who')}</th>
                  <th scope="col">{t('audit.forOrganisation')}</th>
                  <th scope="col">{t('audit.to')}</th>
                  <th scope="col">{t('common.reason')}</th>
                  <th scope="col">{t('referrals.status')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((row) => (
                  <tr key={row.referralId}>
                    <td>{format.dateTime(row.requestedAt)}</td>
                    <td className="mono">{row.overriddenBy?.userId ?? '—'}</td>
                    <td>
                      <OrganisationName id={row.overriddenBy?.organisationId ?? row.senderOrganisationId} />
                    </td>
                    <td>
                      <OrganisationName id={row.receiverOrganisationId} /> · {t(`vocab.category.${row.category}`)}
                    </td>
                    <td>
                      {row.reasonCode ? t(`vocab.reason.${row.reasonCode}`, { defaultValue: row.reasonCode }) : '—'}
                      {row.note && (
                        <>
                          {' — '}
                          <q>{row.note}</q>
                        </>
                      )}
                    </td>
                    <td>
                      {row.status && <StatusBadge status={row.status} />}
                      {row.clientId && (
                        <Link to="/audit" search={{ clientId: row.clientId }}>
                          {t('audit.openThisCase')}
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </Section>
  );
}

function OwnReads() {
  const { t } = useTranslation();
  const format = useFormat();
  const reads = useQuery({
    queryKey: ['own-reads'],
    queryFn: async () => (await unwrap(referrals.GET('/v1/audit/reads'))).data,
    refetchOnMount: 'always',
  });
  // Each read on this desk is recorded before it answers: once the others have answered, show them.
  const othersFetching = useIsFetching({ predicate: (query) => query.queryKey[0] !== 'own-reads' });
  const { refetch } = reads;
  useEffect(() => {
    if (othersFetching === 0) void refetch();
  }, [othersFetching, refetch]);
  return (
    <Section title={t('audit.ownReads')} id="own-reads">
      <p className="hint">{t('audit.ownReadsIntro')}</p>
      <QueryState query={reads}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="muted">{t('audit.noReads')}</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.what')}</th>
                  <th scope="col">{t('audit.which')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.slice(0, 50).map((r, i) => (
                  <tr key={`${r.at}-${i}`}>
                    <td>{format.dateTime(r.at)}</td>
                    <td>{t(`audit.resource.${r.resource}`)}</td>
                    <td className="mono">{r.resource === 'consent-override-report' ? '—' : r.resourceId}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </Section>
  );
}
