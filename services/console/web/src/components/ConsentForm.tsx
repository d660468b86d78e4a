import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components as Referrals } from '@estia/contracts/generated/openapi.referrals.js';
import { idempotencyKey, referrals, registry, unwrap } from '../api/clients.js';
import type { HsdsPage } from '../api/queries.js';
import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  CONSENT_SCOPES,
  REQUIRED_SCOPES,
  SERVICE_CATEGORIES,
  SUGGESTED_SCOPES,
  type ConsentScope,
} from '../vocabulary.js';
import { CheckboxGroup, Form, SelectField, TextField } from './form.js';

type Purpose = Referrals['schemas']['GiveConsentRequest']['purpose'];
type Method = Referrals['schemas']['GiveConsentRequest']['method'];
type Category = Referrals['schemas']['ServiceCategory'];

export interface ConsentDraft {
  purpose: Purpose;
  organisationId?: string;
  organisationName?: string;
  serviceCategory?: Category;
  scope: ConsentScope[];
}

/**
 * Recording a consent: each scope says what it shares, the purpose pre-selects what it needs (and the
 * scopes it cannot do without cannot be unticked), the recipient is an organisation or a kind of service.
 */
export function ConsentForm(props: {
  clientId: string;
  initial?: Partial<ConsentDraft>;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [purpose, setPurpose] = useState<Purpose>(props.initial?.purpose ?? 'referral');
  const [scope, setScope] = useState<ConsentScope[]>(
    props.initial?.scope ?? [...SUGGESTED_SCOPES[props.initial?.purpose ?? 'referral']],
  );
  const [recipientKind, setRecipientKind] = useState<'organisation' | 'category'>(
    props.initial?.serviceCategory && !props.initial.organisationId ? 'category' : 'organisation',
  );
  const [organisationId, setOrganisationId] = useState(props.initial?.organisationId ?? '');
  const [serviceCategory, setServiceCategory] = useState<string>(props.initial?.serviceCategory ?? '');
  const [orgSearch, setOrgSearch] = useState('');
  const [method, setMethod] = useState<Method>('written');
  const [expiresOn, setExpiresOn] = useState('');
  const required = REQUIRED_SCOPES[purpose];
  const needsRecipient = purpose !== 'job_matching';

  const organisations = useQuery({
    queryKey: ['organisations', orgSearch],
    enabled: needsRecipient && recipientKind === 'organisation',
    queryFn: async () =>
      (
        await unwrap(
          registry.GET('/hsds/organizations', {
            params: { query: { per_page: 50, ...(orgSearch ? { search: orgSearch } : {}) } },
          }),
        )
      ).data as unknown as HsdsPage<{ id: string; name: string }>,
  });
  const organisationOptions = [
    ...(props.initial?.organisationId && props.initial.organisationName
      ? [{ value: props.initial.organisationId, label: props.initial.organisationName }]
      : []),
    ...(organisations.data?.contents ?? [])
      .filter((o) => o.id !== props.initial?.organisationId)
      .map((o) => ({ value: o.id, label: o.name })),
  ];

  const give = useMutation({
    mutationFn: async () => {
      const recipient = !needsRecipient
        ? undefined
        : recipientKind === 'organisation'
          ? organisationId
            ? {
                organisationId,
                ...(props.initial?.serviceCategory ? { serviceCategory: props.initial.serviceCategory } : {}),
              }
            : {}
          : serviceCategory
            ? { serviceCategory: serviceCategory as Category }
            : {};
      return unwrap(
        referrals.POST('/v1/clients/{clientId}/consents', {
          params: { path: { clientId: props.clientId }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: {
            purpose,
            scope: [...new Set([...scope, ...required])],
            method,
            ...(recipient ? { recipient } : {}),
            ...(expiresOn ? { expiresAt: `${expiresOn}T23:59:59Z` } : {}),
          },
        }),
      );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['client', props.clientId] });
      props.onDone();
    },
  });

  const choosePurpose = (value: Purpose) => {
    setPurpose(value);
    setScope([...SUGGESTED_SCOPES[value]]);
  };

  return (
    <Form
      label={t('consent.give')}
      onSubmit={() => give.mutate()}
      error={give.error}
      actions={
        <>
          <button type="submit" disabled={give.isPending}>
            {t('consent.record')}
          </button>
          {props.onCancel && (
            <button type="button" className="button-secondary" onClick={props.onCancel}>
              {t('common.cancel')}
            </button>
          )}
        </>
      }
    >
      <SelectField
        label={t('consent.purpose')}
        pointer="/purpose"
        value={purpose}
        hint={t(`consent.purposeHint.${purpose}`)}
        options={CONSENT_PURPOSES.map((p) => ({ value: p, label: t(`vocab.purpose.${p}`) }))}
        onChange={(v) => choosePurpose(v as Purpose)}
      />
      {needsRecipient && (
        <fieldset className="group">
          <legend>{t('consent.recipient')}</legend>
          <div className="radios">
            <input
              type="radio"
              id="recipient-organisation"
              name="recipient-kind"
              checked={recipientKind === 'organisation'}
              onChange={() => setRecipientKind('organisation')}
            />
            <label htmlFor="recipient-organisation">{t('consent.recipientOrganisation')}</label>
            <input
              type="radio"
              id="recipient-category"
              name="recipient-kind"
              checked={recipientKind === 'category'}
              onChange={() => setRecipientKind('category')}
            />
            <label htmlFor="recipient-category">{t('consent.recipientCategory')}</label>
          </div>
          {recipientKind === 'organisation' ? (
            <>
              <TextField
                label={t('consent.findOrganisation')}
                type="search"
                value={orgSearch}
                onChange={setOrgSearch}
              />
              <SelectField
                label={t('consent.organisation')}
                pointer="/recipient/organisationId"
                value={organisationId}
                placeholder={t('common.choose')}
                options={organisationOptions}
                onChange={setOrganisationId}
              />
            </>
          ) : (
            <SelectField
              label={t('consent.category')}
              pointer="/recipient/serviceCategory"
              value={serviceCategory}
              placeholder={t('common.choose')}
              options={SERVICE_CATEGORIES.map((c) => ({ value: c, label: t(`vocab.category.${c}`) }))}
              onChange={setServiceCategory}
            />
          )}
        </fieldset>
      )}
      <CheckboxGroup
        legend={t('consent.scope')}
        pointer="/scope"
        hint={t('consent.scopeHint')}
        options={CONSENT_SCOPES.map((s) => ({
          value: s,
          label: t(`vocab.scope.${s}`) + (required.includes(s) ? ` (${t('consent.neededForPurpose')})` : ''),
          hint: t(`consent.shares.${s}`),
          disabled: required.includes(s),
        }))}
        selected={[...new Set([...scope, ...required])]}
        onChange={(next) => setScope([...new Set([...next, ...required])])}
      />
      <div className="row">
        <SelectField
          label={t('consent.method')}
          pointer="/method"
          value={method}
          options={CONSENT_METHODS.map((m) => ({ value: m, label: t(`vocab.consentMethod.${m}`) }))}
          onChange={(v) => setMethod(v as Method)}
        />
        <TextField
          label={t('consent.expiresOn')}
          type="date"
          pointer="/expiresAt"
          value={expiresOn}
          onChange={setExpiresOn}
          hint={t('consent.expiresHint')}
        />
      </div>
    </Form>
  );
}
