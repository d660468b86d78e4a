import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from '@tanstack/react-query';
import { registry, unwrap } from '../../api/clients.js';
import { useSession } from '../../api/queries.js';
import { CheckboxGroup, FieldErrors, Form, SelectField, SubmitOrCancel, TextField } from '../../components/form.js';
import { useFormat } from '../../i18n/format.js';
import { LEGAL_STATUSES, REGIONS, SERVICE_CATEGORIES, SERVICE_LANGUAGES } from '../../vocabulary.js';
import { organisationQuery, type ManagedService, type Schemas } from './adminApi.js';
import {
  detailsDraftOf,
  detailsOf,
  newLocation,
  withLocation,
  withoutLocation,
  type CoordinatesDraft,
  type DetailsDraft,
} from './serviceDrafts.js';
import { PlaceFields } from './PlaceFields.js';

type Details = Schemas['ServiceDetails'];
type Location = Details['locations'][number];
type Hours = Location['schedule'][number];

const union = <T,>(list: readonly T[], extra: readonly T[]): T[] => [...new Set([...list, ...extra])];

/** Edits what a service offers, to whom, where and when; the API's field errors land next to each field. */
export function ServiceDetailsForm(props: { service: ManagedService; onDone: () => void | Promise<void> }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => detailsDraftOf(props.service.details));
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        registry.PUT('/v1/services/{id}/details', {
          params: { path: { id: props.service.serviceId } },
          body: { details: detailsOf(draft) },
        }),
      ),
    onSuccess: () => props.onDone(),
  });
  return (
    <Form
      label={t('admin.services.detailsForm')}
      error={save.error}
      onSubmit={() => save.mutate()}
      actions={
        <SubmitOrCancel label={t('common.save')} onCancel={() => void props.onDone()} pending={save.isPending} />
      }
    >
      <ServiceDetailsFields draft={draft} onChange={setDraft} />
    </Form>
  );
}

/**
 * The fields of a service's details, inside a form whose body holds them under `details` (the details
 * update and the registration alike), so the API's pointers name the same fields in both.
 */
export function ServiceDetailsFields(props: { draft: DetailsDraft; onChange: (draft: DetailsDraft) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { details, minAge, maxAge } = props.draft;
  const set = <K extends keyof Details>(key: K, value: Details[K]) =>
    props.onChange({ ...props.draft, details: { ...details, [key]: value } });
  const setMinAge = (value: string) => props.onChange({ ...props.draft, minAge: value });
  const setMaxAge = (value: string) => props.onChange({ ...props.draft, maxAge: value });
  const setHours = (location: number, schedule: Hours[]) =>
    set(
      'locations',
      details.locations.map((l, i) => (i === location ? { ...l, schedule } : l)),
    );
  const weekdayName = (weekday: number) =>
    new Intl.DateTimeFormat(format.locale, { weekday: 'long', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, weekday)),
    );
  // A new place lies in the organisation's country (the screens above have it cached).
  const session = useSession();
  const organisation = useQuery({ ...organisationQuery(session?.organisationId ?? ''), enabled: Boolean(session) });
  const country = organisation.data?.organisation.profile.country ?? 'GR';
  const organisationRegion = organisation.data?.organisation.profile.region;
  return (
    <>
      <TextField
        label={t('admin.services.name')}
        pointer="/details/name"
        value={details.name}
        onChange={(v) => set('name', v)}
        required
      />
      <SelectField
        label={t('admin.services.category')}
        pointer="/details/categoryId"
        value={details.categoryId}
        onChange={(v) => set('categoryId', v as Details['categoryId'])}
        options={union<string>(SERVICE_CATEGORIES, [details.categoryId]).map((c) => ({
          value: c,
          label: t(`vocab.taxonomy.${c}`, { defaultValue: c }),
        }))}
      />
      <TextField
        label={t('admin.services.description')}
        pointer="/details/description"
        value={details.description}
        onChange={(v) => set('description', v)}
        multiline
      />
      <CheckboxGroup
        legend={t('admin.services.legalStatuses')}
        pointer="/details/eligibility/legalStatuses"
        options={LEGAL_STATUSES.map((l) => ({ value: l, label: t(`vocab.legalStatus.${l}`) }))}
        selected={details.eligibility.legalStatuses}
        onChange={(legalStatuses) => set('eligibility', { ...details.eligibility, legalStatuses })}
      />
      <div className="row">
        <TextField
          label={t('admin.services.minAge')}
          pointer="/details/eligibility/minAge"
          type="number"
          value={minAge}
          onChange={setMinAge}
        />
        <TextField
          label={t('admin.services.maxAge')}
          pointer="/details/eligibility/maxAge"
          type="number"
          value={maxAge}
          onChange={setMaxAge}
        />
        <TextField
          label={t('admin.services.responseTimeHours')}
          pointer="/details/responseTimeHours"
          type="number"
          value={String(details.responseTimeHours)}
          onChange={(v) => set('responseTimeHours', Number(v))}
        />
      </div>
      <CheckboxGroup
        legend={t('admin.services.languages')}
        pointer="/details/languages"
        options={union(SERVICE_LANGUAGES, details.languages).map((l) => ({ value: l, label: format.languageName(l) }))}
        selected={details.languages}
        onChange={(languages) => set('languages', languages)}
      />
      <CheckboxGroup
        legend={t('admin.services.areas')}
        pointer="/details/serviceAreas"
        options={union(REGIONS, details.serviceAreas).map((r) => ({
          value: r,
          label: t(`vocab.region.${r}`, { defaultValue: r }),
        }))}
        selected={details.serviceAreas}
        onChange={(serviceAreas) => set('serviceAreas', serviceAreas)}
      />
      {details.locations.map((location, li) => (
        <fieldset key={location.locationId} className="group">
          <legend>
            {location.name.trim()
              ? t('admin.services.locationOf', { location: location.name })
              : t('admin.services.newLocation')}
          </legend>
          <LocationFields
            location={location}
            pointer={`/details/locations/${li}`}
            coordinates={props.draft.coordinates[li] ?? { latitude: '', longitude: '' }}
            onChange={(changed, coordinates) =>
              props.onChange({
                ...props.draft,
                details: { ...details, locations: details.locations.map((l, i) => (i === li ? changed : l)) },
                coordinates: props.draft.coordinates.map((c, i) => (i === li ? coordinates : c)),
              })
            }
          />
          <h3>{t('admin.services.hoursAt', { location: location.name.trim() || t('admin.services.newLocation') })}</h3>
          <FieldErrors pointer={`/details/locations/${li}/schedule`} />
          {location.schedule.map((h, hi) => (
            <div className="row" key={hi}>
              <SelectField
                label={t('admin.services.weekday')}
                pointer={`/details/locations/${li}/schedule/${hi}/weekday`}
                value={String(h.weekday)}
                onChange={(v) =>
                  setHours(
                    li,
                    location.schedule.map((x, i) => (i === hi ? { ...x, weekday: Number(v) as Hours['weekday'] } : x)),
                  )
                }
                options={[1, 2, 3, 4, 5, 6, 7].map((w) => ({ value: String(w), label: weekdayName(w) }))}
              />
              <TextField
                label={t('admin.services.opens')}
                pointer={`/details/locations/${li}/schedule/${hi}/opens`}
                value={h.opens}
                onChange={(v) =>
                  setHours(
                    li,
                    location.schedule.map((x, i) => (i === hi ? { ...x, opens: v } : x)),
                  )
                }
              />
              <TextField
                label={t('admin.services.closes')}
                pointer={`/details/locations/${li}/schedule/${hi}/closes`}
                value={h.closes}
                onChange={(v) =>
                  setHours(
                    li,
                    location.schedule.map((x, i) => (i === hi ? { ...x, closes: v } : x)),
                  )
                }
              />
              <button
                type="button"
                className="button-secondary"
                aria-label={t('admin.services.removeHoursOf', { day: weekdayName(h.weekday) })}
                onClick={() =>
                  setHours(
                    li,
                    location.schedule.filter((_, i) => i !== hi),
                  )
                }
              >
                {t('admin.services.removeHours')}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button-secondary"
            onClick={() => setHours(li, [...location.schedule, { weekday: 1, opens: '09:00', closes: '17:00' }])}
          >
            {t('admin.services.addHours')}
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={() => props.onChange(withoutLocation(props.draft, li))}
          >
            {t('admin.services.removeLocation')}
          </button>
        </fieldset>
      ))}
      <FieldErrors pointer="/details/locations" />
      <div>
        <button
          type="button"
          className="button-secondary"
          onClick={() =>
            props.onChange(
              withLocation(
                props.draft,
                newLocation(crypto.randomUUID(), country, details.serviceAreas[0] ?? organisationRegion ?? REGIONS[0]),
              ),
            )
          }
        >
          {t('admin.services.addLocation')}
        </button>
      </div>
    </>
  );
}

/** Where a location is: its name, then the place (the country is the organisation's). */
function LocationFields(props: {
  location: Location;
  coordinates: CoordinatesDraft;
  pointer: string;
  onChange: (location: Location, coordinates: CoordinatesDraft) => void;
}) {
  const { t } = useTranslation();
  const { location, coordinates, pointer } = props;
  const { street, postalCode, locality, region } = location.address;
  return (
    <>
      <TextField
        label={t('admin.services.locationName')}
        pointer={`${pointer}/name`}
        value={location.name}
        onChange={(name) => props.onChange({ ...location, name }, coordinates)}
        required
      />
      <PlaceFields
        place={{ street, postalCode, locality, region, coordinates }}
        onChange={(p) =>
          props.onChange(
            {
              ...location,
              address: {
                ...location.address,
                street: p.street,
                postalCode: p.postalCode,
                locality: p.locality,
                region: p.region,
              },
            },
            p.coordinates,
          )
        }
        pointers={{
          address: `${pointer}/address`,
          region: `${pointer}/address/region`,
          coordinates: `${pointer}/coordinates`,
        }}
        hint={t('admin.services.coordinatesHint')}
      />
    </>
  );
}
