import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { idempotencyKey, matching, unwrap } from '../../api/clients.js';
import { QueryState } from '../../components/display.js';
import { FieldErrors, Form, SelectField, SubmitOrCancel, TextField } from '../../components/form.js';
import { useFormat } from '../../i18n/format.js';
import { CEFR_LEVELS } from '../../vocabulary.js';
import {
  isoDateIn,
  opportunityMatchesQuery,
  opportunityQuery,
  type Opportunity,
  type OpportunityDetails,
} from './coachApi.js';
import {
  CONTRACT_TYPES,
  DRIVING_LICENCES,
  OPPORTUNITY_TYPES,
  PAY_PERIODS,
  PLACES,
  WORK_LANGUAGES,
} from './opportunityVocabulary.js';
import './coach.css';

type Level = OpportunityDetails['languages'][number]['minLevel'];
interface Concept {
  id: string;
  label: string;
}

/** The form's state: strings as typed, turned into the contract's body on submit. */
interface Draft {
  type: OpportunityDetails['type'];
  title: string;
  occupation: Concept | null;
  essentialSkills: Concept[];
  optionalSkills: Concept[];
  languages: { language: string; minLevel: Level }[];
  remote: boolean;
  place: string;
  latitude: string;
  longitude: string;
  locality: string;
  contractType: OpportunityDetails['contractType'];
  hoursPerWeek: string;
  payAmount: string;
  payCurrency: string;
  payPer: NonNullable<OpportunityDetails['pay']>['per'];
  positions: string;
  startDate: string;
  closingDate: string;
  drivingLicence: string;
}

const emptyDraft = (): Draft => ({
  type: 'job',
  title: '',
  occupation: null,
  essentialSkills: [],
  optionalSkills: [],
  languages: [],
  remote: false,
  place: PLACES[0]!.code,
  latitude: String(PLACES[0]!.latitude),
  longitude: String(PLACES[0]!.longitude),
  locality: PLACES[0]!.city,
  contractType: 'permanent',
  hoursPerWeek: '40',
  payAmount: '',
  payCurrency: 'EUR',
  payPer: 'month',
  positions: '1',
  startDate: isoDateIn(14),
  closingDate: '',
  drivingLicence: '',
});

/** Labels of the opportunity's ESCO concepts, as its explained matches name them (the list holds ids only). */
const draftOf = (o: Opportunity, labels: Map<string, string>): Draft => {
  const d = o.details;
  const concept = (id: string): Concept => ({ id, label: labels.get(id) ?? id });
  const place = PLACES.find((p) => p.latitude === d.location.latitude && p.longitude === d.location.longitude);
  return {
    type: d.type,
    title: d.title,
    occupation: concept(d.occupation),
    essentialSkills: d.essentialSkills.map(concept),
    optionalSkills: d.optionalSkills.map(concept),
    languages: d.languages.map((l) => ({ language: l.language, minLevel: l.minLevel })),
    remote: d.location.remote,
    place: place?.code ?? '',
    latitude: d.location.latitude === undefined ? '' : String(d.location.latitude),
    longitude: d.location.longitude === undefined ? '' : String(d.location.longitude),
    locality: d.location.locality ?? '',
    contractType: d.contractType,
    hoursPerWeek: String(d.hoursPerWeek),
    payAmount: d.pay ? String(d.pay.amount) : '',
    payCurrency: d.pay?.currency ?? 'EUR',
    payPer: d.pay?.per ?? 'month',
    positions: String(d.positions),
    startDate: d.startDate,
    closingDate: d.closingDate ?? '',
    drivingLicence: d.drivingLicence ?? '',
  };
};

const numberOr = (text: string, fallback: number): number => (text.trim() === '' ? fallback : Number(text));

const detailsOf = (d: Draft): OpportunityDetails => ({
  type: d.type,
  title: d.title.trim(),
  occupation: d.occupation?.id ?? '',
  essentialSkills: d.essentialSkills.map((s) => s.id),
  optionalSkills: d.optionalSkills.map((s) => s.id),
  languages: d.languages,
  location: d.remote
    ? { remote: true }
    : {
        remote: false,
        latitude: numberOr(d.latitude, Number.NaN),
        longitude: numberOr(d.longitude, Number.NaN),
        country: 'GR',
        ...(d.locality.trim() ? { locality: d.locality.trim() } : {}),
      },
  contractType: d.contractType,
  hoursPerWeek: numberOr(d.hoursPerWeek, 0),
  pay:
    d.payAmount.trim() === ''
      ? null
      : { amount: Number(d.payAmount), currency: d.payCurrency.trim().toUpperCase(), per: d.payPer },
  positions: numberOr(d.positions, 0),
  startDate: d.startDate,
  closingDate: d.closingDate || null,
  drivingLicence: (d.drivingLicence || null) as OpportunityDetails['drivingLicence'],
});

export function NewOpportunity() {
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <p>
        <Link to="/coach/opportunities" search={{}}>
          <span className="back">{t('coach.opportunities.title')}</span>
        </Link>
      </p>
      <h1>{t('coach.form.newTitle')}</h1>
      <p className="lead">{t('coach.form.intro')}</p>
      <OpportunityForm initial={emptyDraft()} />
    </div>
  );
}

export function EditOpportunity() {
  const { t } = useTranslation();
  const { opportunityId } = useParams({ strict: false }) as { opportunityId: string };
  const current = useQuery(opportunityQuery(opportunityId));
  const matches = useQuery(opportunityMatchesQuery(opportunityId));
  const labels = new Map<string, string>();
  for (const m of matches.data?.items ?? []) {
    labels.set(m.occupation.opportunity.id, m.occupation.opportunity.label);
    for (const s of [...m.skills.matchedEssential, ...m.skills.missingEssential, ...m.skills.matchedOptional])
      labels.set(s.id, s.label);
    for (const s of m.skills.missingOptional) labels.set(s.id, s.label);
  }
  return (
    <div className="narrow">
      <p>
        <Link to="/coach/opportunities/$opportunityId" params={{ opportunityId }}>
          <span className="back">{t('coach.form.backToOpportunity')}</span>
        </Link>
      </p>
      <h1>{t('coach.form.editTitle')}</h1>
      <QueryState query={current}>
        {({ opportunity, etag }) =>
          matches.isPending ? (
            <p className="muted" role="status">
              {t('common.loading')}
            </p>
          ) : (
            <OpportunityForm initial={draftOf(opportunity, labels)} editing={{ id: opportunity.id, etag }} />
          )
        }
      </QueryState>
    </div>
  );
}

function OpportunityForm(props: { initial: Draft; editing?: { id: string; etag: string | null } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(props.initial);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const editing = props.editing;

  const save = useMutation({
    mutationFn: async () => {
      const body = detailsOf(draft);
      if (!editing)
        return (
          await unwrap(
            matching.POST('/v1/opportunities', { params: { header: { 'Idempotency-Key': idempotencyKey() } }, body }),
          )
        ).data;
      return (
        await unwrap(
          matching.PATCH('/v1/opportunities/{id}', {
            params: { path: { id: editing.id }, header: { 'If-Match': editing.etag ?? '*' } },
            body,
          }),
        )
      ).data;
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['coach'] });
      await navigate({ to: '/coach/opportunities/$opportunityId', params: { opportunityId: saved.id } });
    },
  });

  const options = <V extends string>(values: readonly V[], prefix: string) =>
    values.map((v) => ({ value: v, label: t(`${prefix}.${v as string}` as string) }));

  return (
    <Form
      label={editing ? t('coach.form.editTitle') : t('coach.form.newTitle')}
      onSubmit={() => save.mutate()}
      error={save.error}
      actions={
        <SubmitOrCancel
          label={editing ? t('coach.form.save') : t('coach.form.publish')}
          pending={save.isPending}
          onCancel={() =>
            void (editing
              ? navigate({ to: '/coach/opportunities/$opportunityId', params: { opportunityId: editing.id } })
              : navigate({ to: '/coach/opportunities', search: {} }))
          }
        />
      }
    >
      <SelectField
        label={t('coach.opportunity.type')}
        pointer="/type"
        value={draft.type}
        onChange={(v) => set('type')(v as Draft['type'])}
        options={options(OPPORTUNITY_TYPES, 'coach.opportunityType')}
        required
      />
      <TextField
        label={t('coach.opportunity.title')}
        pointer="/title"
        value={draft.title}
        onChange={set('title')}
        required
      />
      <ConceptPicker
        kind="occupations"
        label={t('coach.form.occupation')}
        pointer="/occupation"
        chosen={draft.occupation ? [draft.occupation] : []}
        onChange={(list) => set('occupation')(list[list.length - 1] ?? null)}
        single
      />
      <ConceptPicker
        kind="skills"
        label={t('coach.form.essentialSkills')}
        pointer="/essentialSkills"
        chosen={draft.essentialSkills}
        onChange={set('essentialSkills')}
      />
      <ConceptPicker
        kind="skills"
        label={t('coach.form.optionalSkills')}
        pointer="/optionalSkills"
        chosen={draft.optionalSkills}
        onChange={set('optionalSkills')}
      />
      <LanguageRequirements value={draft.languages} onChange={set('languages')} />

      <fieldset className="field">
        <legend>{t('coach.form.place')}</legend>
        <div className="checkbox">
          <input
            type="checkbox"
            id="opportunity-remote"
            checked={draft.remote}
            onChange={(e) => set('remote')(e.target.checked)}
          />
          <label htmlFor="opportunity-remote">{t('coach.form.remote')}</label>
        </div>
        {!draft.remote && (
          <>
            <SelectField
              label={t('coach.form.city')}
              value={draft.place}
              placeholder={t('coach.form.otherPlace')}
              options={PLACES.map((p) => ({ value: p.code, label: t(`vocab.region.${p.code}`) + ` — ${p.city}` }))}
              onChange={(code) => {
                const place = PLACES.find((p) => p.code === code);
                setDraft((d) =>
                  place
                    ? {
                        ...d,
                        place: code,
                        latitude: String(place.latitude),
                        longitude: String(place.longitude),
                        locality: place.city,
                      }
                    : { ...d, place: '' },
                );
              }}
            />
            <div className="row">
              <TextField
                label={t('coach.form.latitude')}
                pointer="/location/latitude"
                type="number"
                value={draft.latitude}
                onChange={(v) => setDraft((d) => ({ ...d, latitude: v, place: '' }))}
              />
              <TextField
                label={t('coach.form.longitude')}
                pointer="/location/longitude"
                type="number"
                value={draft.longitude}
                onChange={(v) => setDraft((d) => ({ ...d, longitude: v, place: '' }))}
              />
              <TextField
                label={t('coach.form.locality')}
                pointer="/location/locality"
                value={draft.locality}
                onChange={set('locality')}
              />
            </div>
          </>
        )}
        <FieldErrors pointer="/location" />
      </fieldset>

      <div className="row">
        <SelectField
          label={t('coach.opportunity.contractType')}
          pointer="/contractType"
          value={draft.contractType}
          onChange={(v) => set('contractType')(v as Draft['contractType'])}
          options={options(CONTRACT_TYPES, 'coach.contractType')}
        />
        <TextField
          label={t('coach.opportunity.hoursPerWeek')}
          pointer="/hoursPerWeek"
          type="number"
          value={draft.hoursPerWeek}
          onChange={set('hoursPerWeek')}
          required
        />
        <TextField
          label={t('coach.opportunity.positions')}
          pointer="/positions"
          type="number"
          value={draft.positions}
          onChange={set('positions')}
          required
        />
      </div>
      <fieldset className="field">
        <legend>{t('coach.opportunity.pay')}</legend>
        <p className="hint">{t('coach.form.payHint')}</p>
        <div className="row">
          <TextField
            label={t('coach.form.payAmount')}
            pointer="/pay/amount"
            type="number"
            value={draft.payAmount}
            onChange={set('payAmount')}
          />
          <TextField
            label={t('coach.form.payCurrency')}
            pointer="/pay/currency"
            value={draft.payCurrency}
            onChange={set('payCurrency')}
          />
          <SelectField
            label={t('coach.form.payPer')}
            pointer="/pay/per"
            value={draft.payPer}
            onChange={(v) => set('payPer')(v as Draft['payPer'])}
            options={options(PAY_PERIODS, 'coach.payPer')}
          />
        </div>
        <FieldErrors pointer="/pay" />
      </fieldset>
      <div className="row">
        <TextField
          label={t('coach.opportunity.startDate')}
          pointer="/startDate"
          type="date"
          value={draft.startDate}
          onChange={set('startDate')}
          required
        />
        <TextField
          label={t('coach.opportunity.closingDate')}
          pointer="/closingDate"
          type="date"
          value={draft.closingDate}
          onChange={set('closingDate')}
        />
        <SelectField
          label={t('coach.opportunity.drivingLicence')}
          pointer="/drivingLicence"
          value={draft.drivingLicence}
          placeholder={t('coach.form.noLicence')}
          onChange={set('drivingLicence')}
          options={DRIVING_LICENCES.map((l) => ({ value: l, label: l }))}
        />
      </div>
    </Form>
  );
}

/**
 * ESCO occupations or skills, found by typing (the matching service's autocomplete over ESCO's English
 * labels) and added from a list of buttons; the chosen ones can be removed again.
 */
function ConceptPicker(props: {
  kind: 'occupations' | 'skills';
  label: string;
  pointer: string;
  chosen: Concept[];
  onChange: (list: Concept[]) => void;
  single?: boolean;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const q = typed.trim();
  const found = useQuery({
    queryKey: ['coach', 'esco', props.kind, q],
    enabled: q.length >= 2,
    staleTime: 5 * 60_000,
    queryFn: async () =>
      props.kind === 'occupations'
        ? (await unwrap(matching.GET('/v1/esco/occupations', { params: { query: { q, limit: 6 } } }))).data
        : (await unwrap(matching.GET('/v1/esco/skills', { params: { query: { q, limit: 6 } } }))).data,
  });
  const chosenIds = new Set(props.chosen.map((c) => c.id));
  return (
    <fieldset className="field">
      <legend>{props.label}</legend>
      {props.chosen.length > 0 ? (
        <ul className="plain-inline skill-chips" aria-label={t('coach.form.chosen')}>
          {props.chosen.map((c) => (
            <li key={c.id}>
              <bdi lang="en">{c.label}</bdi>{' '}
              <button
                type="button"
                className="button-secondary"
                aria-label={t('coach.form.remove', { name: c.label })}
                onClick={() => props.onChange(props.chosen.filter((x) => x.id !== c.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('coach.form.noneChosen')}</p>
      )}
      <TextField
        label={t('coach.form.search', { what: props.label })}
        hint={t('coach.form.searchHint')}
        type="search"
        value={typed}
        onChange={setTyped}
      />
      <FieldErrors pointer={props.pointer} />
      {q.length >= 2 && found.data && (
        <div role="status">
          {found.data.items.length === 0 ? (
            <p className="muted">{t('coach.form.noConcept', { q })}</p>
          ) : (
            <ul className="plain-inline">
              {found.data.items
                .filter((s) => !chosenIds.has(s.id))
                .map((s) => (
                  <li key={s.id}>
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => {
                        const concept = { id: s.id, label: s.preferredLabel };
                        props.onChange(props.single ? [concept] : [...props.chosen, concept]);
                        setTyped('');
                      }}
                    >
                      {t('coach.form.add', { name: s.preferredLabel })}
                    </button>
                  </li>
                ))}
            </ul>
          )}
        </div>
      )}
    </fieldset>
  );
}

function LanguageRequirements(props: {
  value: { language: string; minLevel: Level }[];
  onChange: (value: { language: string; minLevel: Level }[]) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [language, setLanguage] = useState('el');
  const [level, setLevel] = useState<Level>('B1');
  const languageOptions = WORK_LANGUAGES.map((code) => ({ value: code, label: format.languageName(code) }));
  return (
    <fieldset className="field">
      <legend>{t('coach.form.languages')}</legend>
      {props.value.length === 0 ? (
        <p className="muted">{t('coach.form.noLanguages')}</p>
      ) : (
        <ul className="plain-inline">
          {props.value.map((l, i) => (
            <li key={l.language}>
              {format.languageName(l.language)} {l.minLevel}{' '}
              <button
                type="button"
                className="button-secondary"
                aria-label={t('coach.form.remove', { name: format.languageName(l.language) })}
                onClick={() => props.onChange(props.value.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldErrors pointer="/languages" />
      <div className="row">
        <SelectField
          label={t('coach.form.language')}
          value={language}
          onChange={setLanguage}
          options={languageOptions}
        />
        <SelectField
          label={t('coach.form.minLevel')}
          value={level}
          onChange={(v) => setLevel(v as Level)}
          options={CEFR_LEVELS.map((l) => ({ value: l, label: l }))}
        />
        <button
          type="button"
          className="button-secondary"
          onClick={() =>
            props.onChange([...props.value.filter((l) => l.language !== language), { language, minLevel: level }])
          }
        >
          {t('coach.form.addLanguage')}
        </button>
      </div>
    </fieldset>
  );
}
