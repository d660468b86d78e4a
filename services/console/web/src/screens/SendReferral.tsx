import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { idempotencyKey, referrals, unwrap } from '../api/clients.js';
import { clientQuery, consentsOf, needsOf, useService, useSession } from '../api/queries.js';
import { ConsentForm } from '../components/ConsentForm.js';
import { QueryState } from '../components/display.js';
import { CheckboxGroup, Form, TextField } from '../components/form.js';
import { referralCoverage } from '../domain/consentCoverage.js';
import { useFormat } from '../i18n/format.js';
import { CONSENT_SCOPES, REASONS, SERVICE_CATEGORIES, SUGGESTED_SCOPES, type ConsentScope } from '../vocabulary.js';
import { ReasonSelect } from './ClientPage.js';

type Category = (typeof SERVICE_CATEGORIES)[number];

/** Sending a referral: what is shared, whether a consent covers it (checked in place), an override where allowed. */
export function SendReferral() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const { clientId } = useParams({ strict: false }) as { clientId: string };
  const { serviceId, needId } = useSearch({ strict: false }) as { serviceId: string; needId?: string };
  const client = useQuery(clientQuery(clientId));
  const service = useService(serviceId);
  const [share, setShare] = useState<ConsentScope[]>([...SUGGESTED_SCOPES.referral]);
  const [message, setMessage] = useState('');
  const [recordingConsent, setRecordingConsent] = useState(false);
  const [override, setOverride] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  const mayOverride = session?.roles.includes('consent_override') ?? false;

  const need = client.data && needId ? needsOf(client.data).find((n) => n.needId === needId) : undefined;
  const receiver = service.data
    ? {
        organisationId: service.data.organization_id,
        category: (service.data.attributes?.[0]?.taxonomy_term?.code &&
        SERVICE_CATEGORIES.includes(service.data.attributes[0].taxonomy_term.code as Category)
          ? service.data.attributes[0].taxonomy_term.code
          : (need?.category ?? '')) as string,
      }
    : null;
  const coverage = client.data && receiver ? referralCoverage(consentsOf(client.data), receiver, share) : null;

  const send = useMutation({
    mutationFn: async () =>
      (
        await unwrap(
          referrals.POST('/v1/referrals', {
            params: { header: { 'Idempotency-Key': idempotencyKey() } },
            body: {
              clientId,
              serviceId,
              share,
              ...(needId ? { needId } : {}),
              ...(message ? { message } : {}),
              ...(override && overrideReason ? { consentOverride: { code: overrideReason } } : {}),
            },
          }),
        )
      ).data,
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['client', clientId] });
      await navigate({ to: '/referrals/$referralId', params: { referralId: created.referralId! } });
    },
  });

  return (
    <div className="narrow">
      <p>
        <Link to="/clients/$clientId" params={{ clientId }}>
          <span className="back">{t('suggestions.back')}</span>
        </Link>
      </p>
      <h1>{t('refer.title')}</h1>
      <QueryState query={service}>
        {(s) => (
          <div className="card">
            <h2 className="h3">{s.name}</h2>
            <p className="muted">{s.organization?.name}</p>
            {s.wait_time && <p>{s.wait_time}</p>}
          </div>
        )}
      </QueryState>
      <Form
        label={t('refer.title')}
        onSubmit={() => send.mutate()}
        error={send.error}
        actions={
          <button type="submit" disabled={send.isPending}>
            {t('refer.send')}
          </button>
        }
      >
        <CheckboxGroup
          legend={t('refer.share')}
          pointer="/share"
          hint={t('refer.shareHint')}
          options={CONSENT_SCOPES.map((s) => ({
            value: s,
            label: t(`vocab.scope.${s}`),
            hint: t(`consent.shares.${s}`),
          }))}
          selected={share}
          onChange={setShare}
        />
        <div className={`alert ${coverage?.covered ? 'alert-ok' : 'alert-warning'}`} role="status" aria-live="polite">
          {!coverage ? (
            t('common.loading')
          ) : coverage.covered ? (
            t('refer.covered', { date: format.calendarDate(coverage.consent.givenAt) })
          ) : (
            <>
              <p>{t('refer.notCovered')}</p>
              {coverage.missing.length > 0 && coverage.nearest && (
                <p>
                  {t('refer.missingScopes', { scopes: coverage.missing.map((s) => t(`vocab.scope.${s}`)).join(', ') })}
                </p>
              )}
              {!recordingConsent && (
                <button type="button" className="button-secondary" onClick={() => setRecordingConsent(true)}>
                  {t('refer.recordConsent')}
                </button>
              )}
            </>
          )}
        </div>
        {coverage && !coverage.covered && mayOverride && (
          <fieldset className="group">
            <legend>{t('refer.override')}</legend>
            <div className="checkbox">
              <input type="checkbox" id="override" checked={override} onChange={(e) => setOverride(e.target.checked)} />
              <label htmlFor="override">{t('refer.overrideLabel')}</label>
            </div>
            {override && (
              <ReasonSelect
                pointer="/consentOverride/code"
                codes={REASONS.override}
                value={overrideReason}
                onChange={setOverrideReason}
              />
            )}
            <p className="hint">{t('refer.overrideHint')}</p>
          </fieldset>
        )}
        <TextField
          label={t('refer.message')}
          pointer="/message"
          multiline
          value={message}
          onChange={setMessage}
          hint={t('refer.messageHint')}
        />
      </Form>
      {recordingConsent && receiver && (
        <section className="card" aria-labelledby="consent-heading">
          <h2 id="consent-heading">{t('consent.give')}</h2>
          <ConsentForm
            clientId={clientId}
            initial={{
              purpose: 'referral',
              organisationId: receiver.organisationId,
              ...(service.data?.organization?.name ? { organisationName: service.data.organization.name } : {}),
              scope: share,
            }}
            onDone={() => setRecordingConsent(false)}
            onCancel={() => setRecordingConsent(false)}
          />
        </section>
      )}
    </div>
  );
}
