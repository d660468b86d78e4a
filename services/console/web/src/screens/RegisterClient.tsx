import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { COUNTRY_CODES } from '@estia/contracts/vocabulary/countries.js';
import { idempotencyKey, referrals, unwrap } from '../api/clients.js';
import type { LegalStatus, PersonalData } from '../api/queries.js';
import { FieldErrors, Form, SelectField, TextField } from '../components/form.js';
import { LegalStatusFields } from '../components/LegalStatusFields.js';
import { duplicateAnswerOf, type DuplicateAnswer } from '../domain/duplicates.js';
import { requestAccess } from '../domain/requestAccess.js';
import { useFormat } from '../i18n/format.js';
import { CEFR_LEVELS, REGIONS } from '../vocabulary.js';

type LanguageSkill = PersonalData['languages'][number];

const CLIENT_LANGUAGES = [
  'ar',
  'fa',
  'prs',
  'ps',
  'ur',
  'kmr',
  'ckb',
  'ti',
  'so',
  'am',
  'fr',
  'en',
  'el',
  'uk',
  'ru',
  'tr',
  'ln',
  'sw',
  'es',
  'de',
];

const emptyDraft = (): { personal: PersonalData; contact: { phone: string; email: string; address: string } } => ({
  personal: {
    givenNames: '',
    familyName: '',
    dateOfBirth: '',
    nationalities: [''],
    languages: [{ language: '', level: 'A1' }],
    legalStatus: { status: 'asylum_seeker' },
    location: { country: 'GR', region: 'EL30' },
  },
  contact: { phone: '', email: '', address: '' },
});

/** What is sent: empty optional fields left out, so the service judges only what the officer filled in. */
const toRequest = (draft: ReturnType<typeof emptyDraft>): PersonalData => {
  const { personal, contact } = draft;
  const filledContact = Object.fromEntries(Object.entries(contact).filter(([, v]) => v.trim() !== ''));
  const location = personal.location;
  return {
    ...personal,
    ...(personal.gender ? {} : { gender: undefined }),
    nationalities: personal.nationalities.filter(Boolean),
    languages: personal.languages.filter((l) => l.language !== ''),
    ...(Object.keys(filledContact).length ? { contact: filledContact } : {}),
    ...(location && location.region ? { location } : { location: undefined }),
  };
};

export function RegisterClient() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(emptyDraft);
  const [duplicate, setDuplicate] = useState<DuplicateAnswer | null>(null);
  const personal = draft.personal;
  const setPersonal = (patch: Partial<PersonalData>) =>
    setDraft((d) => ({ ...d, personal: { ...d.personal, ...patch } }));
  const setLanguage = (index: number, patch: Partial<LanguageSkill>) =>
    setPersonal({ languages: personal.languages.map((l, i) => (i === index ? { ...l, ...patch } : l)) });

  const register = useMutation({
    mutationFn: async (confirmedNew: boolean) =>
      (
        await unwrap(
          referrals.POST('/v1/clients', {
            params: { header: { 'Idempotency-Key': idempotencyKey() } },
            body: { personal: toRequest(draft), ...(confirmedNew ? { confirmedNew: true } : {}) },
          }),
        )
      ).data,
    onMutate: () => setDuplicate(null),
    onSuccess: (created) => void navigate({ to: '/clients/$clientId', params: { clientId: created.clientId! } }),
    onError: (error) => setDuplicate(duplicateAnswerOf(error)),
  });
  const access = useMutation({
    mutationFn: () => requestAccess(duplicate!),
    onSuccess: (granted) => {
      if (granted) void navigate({ to: '/clients/$clientId', params: { clientId: granted.clientId } });
    },
  });

  const countries = [...COUNTRY_CODES]
    .map((code) => ({ value: code, label: format.countryName(code) }))
    .sort((a, b) => a.label.localeCompare(b.label, format.locale));

  return (
    <div className="narrow">
      <h1>{t('register.title')}</h1>
      <p className="lead">{t('register.intro')}</p>
      {duplicate ? (
        <section className="card card-warning" aria-labelledby="duplicate-heading" role="alert">
          <h2 id="duplicate-heading">{t('register.duplicateTitle')}</h2>
          <p>{t('register.duplicateText')}</p>
          <Form
            label={t('register.duplicateTitle')}
            onSubmit={() => access.mutate()}
            error={access.error}
            actions={
              <>
                <button type="submit" disabled={access.isPending}>
                  {t('register.requestAccess')}
                </button>
                <button type="button" className="button-secondary" onClick={() => register.mutate(true)}>
                  {t('register.confirmNew')}
                </button>
                <button type="button" className="button-secondary" onClick={() => setDuplicate(null)}>
                  {t('register.backToForm')}
                </button>
              </>
            }
          >
            {access.data === null && <p role="status">{t('register.accessRequested')}</p>}
          </Form>
        </section>
      ) : (
        <Form
          label={t('register.title')}
          onSubmit={() => register.mutate(false)}
          error={register.error}
          actions={
            <button type="submit" disabled={register.isPending}>
              {t('register.submit')}
            </button>
          }
        >
          <fieldset className="group">
            <legend>{t('client.identity')}</legend>
            <div className="row">
              <TextField
                label={t('client.givenNames')}
                pointer="/personal/givenNames"
                value={personal.givenNames}
                onChange={(v) => setPersonal({ givenNames: v })}
                required
              />
              <TextField
                label={t('client.familyName')}
                pointer="/personal/familyName"
                value={personal.familyName}
                onChange={(v) => setPersonal({ familyName: v })}
                required
              />
            </div>
            <div className="row">
              <TextField
                label={t('client.dateOfBirth')}
                type="date"
                pointer="/personal/dateOfBirth"
                value={personal.dateOfBirth}
                onChange={(v) => setPersonal({ dateOfBirth: v })}
                required
              />
              <TextField
                label={t('client.gender')}
                pointer="/personal/gender"
                value={personal.gender ?? ''}
                onChange={(v) => setPersonal({ gender: v })}
              />
            </div>
            {personal.nationalities.map((n, i) => (
              <SelectField
                key={i}
                label={i === 0 ? t('client.nationality') : t('client.otherNationality')}
                pointer={`/personal/nationalities/${i}`}
                value={n}
                placeholder={t('common.choose')}
                options={countries}
                required={i === 0}
                onChange={(v) =>
                  setPersonal({ nationalities: personal.nationalities.map((x, j) => (j === i ? v : x)) })
                }
              />
            ))}
            <FieldErrors pointer="/personal/nationalities" />
            <button
              type="button"
              className="button-secondary"
              onClick={() => setPersonal({ nationalities: [...personal.nationalities, ''] })}
            >
              {t('client.addNationality')}
            </button>
          </fieldset>

          <fieldset className="group">
            <legend>{t('client.languages')}</legend>
            {personal.languages.map((l, i) => (
              <div className="row" key={i}>
                <SelectField
                  label={t('client.language')}
                  pointer={`/personal/languages/${i}/language`}
                  value={l.language}
                  placeholder={t('common.choose')}
                  options={CLIENT_LANGUAGES.map((code) => ({ value: code, label: format.languageName(code) }))}
                  onChange={(v) => setLanguage(i, { language: v })}
                />
                <SelectField
                  label={t('client.level')}
                  pointer={`/personal/languages/${i}/level`}
                  value={l.level}
                  options={CEFR_LEVELS.map((c) => ({ value: c, label: c }))}
                  onChange={(v) => setLanguage(i, { level: v as LanguageSkill['level'] })}
                />
                <div className="checkbox">
                  <input
                    type="checkbox"
                    id={`native-${i}`}
                    checked={l.native ?? false}
                    onChange={(e) => setLanguage(i, { native: e.target.checked })}
                  />
                  <label htmlFor={`native-${i}`}>{t('client.native')}</label>
                </div>
              </div>
            ))}
            <FieldErrors pointer="/personal/languages" />
            <button
              type="button"
              className="button-secondary"
              onClick={() => setPersonal({ languages: [...personal.languages, { language: '', level: 'A1' }] })}
            >
              {t('client.addLanguage')}
            </button>
          </fieldset>

          <LegalStatusFields
            base="/personal/legalStatus"
            value={personal.legalStatus}
            onChange={(legalStatus: LegalStatus) => setPersonal({ legalStatus })}
          />

          <fieldset className="group">
            <legend>{t('client.whereabouts')}</legend>
            <div className="row">
              <SelectField
                label={t('client.region')}
                pointer="/personal/location/region"
                value={personal.location?.region ?? ''}
                options={REGIONS.map((r) => ({ value: r, label: t(`vocab.region.${r}`) }))}
                onChange={(v) => setPersonal({ location: { country: 'GR', ...personal.location, region: v } })}
              />
              <TextField
                label={t('client.maxTravelKm')}
                type="number"
                pointer="/personal/location/maxTravelKm"
                value={personal.location?.maxTravelKm === undefined ? '' : String(personal.location.maxTravelKm)}
                onChange={(v) => {
                  const { maxTravelKm: _drop, ...rest } = personal.location ?? { country: 'GR', region: 'EL30' };
                  setPersonal({ location: v === '' ? rest : { ...rest, maxTravelKm: Number(v) } });
                }}
              />
            </div>
            <TextField
              label={t('client.phone')}
              type="tel"
              pointer="/personal/contact/phone"
              value={draft.contact.phone}
              onChange={(v) => setDraft((d) => ({ ...d, contact: { ...d.contact, phone: v } }))}
            />
            <TextField
              label={t('client.email')}
              type="email"
              pointer="/personal/contact/email"
              value={draft.contact.email}
              onChange={(v) => setDraft((d) => ({ ...d, contact: { ...d.contact, email: v } }))}
            />
            <TextField
              label={t('client.address')}
              pointer="/personal/contact/address"
              value={draft.contact.address}
              onChange={(v) => setDraft((d) => ({ ...d, contact: { ...d.contact, address: v } }))}
            />
          </fieldset>
        </Form>
      )}
    </div>
  );
}
