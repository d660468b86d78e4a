import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from '@tanstack/react-query';
import { registry, unwrap } from '../../api/clients.js';
import { Form, SubmitOrCancel, TextField } from '../../components/form.js';
import type { OrganisationRecord, Schemas } from './adminApi.js';
import { PlaceFields, type PlaceDraft } from './PlaceFields.js';
import { coordinateOf, coordinatesDraftOf } from './serviceDrafts.js';

type Changes = Schemas['OrganisationProfileChanges'];

/** What the organisation edits: its profile without who it is (kind, legal identifier, country). */
const changesOf = ({ profile: p }: OrganisationRecord): Changes => ({
  name: p.name,
  region: p.region,
  address: p.address,
  coordinates: p.coordinates,
  contact: p.contact,
  dataProtectionRegistration: p.dataProtectionRegistration,
});
// An emptied optional field is left out (the API then forgets it), not sent as "".
const optional = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
  value?.trim() ? ({ [key]: value.trim() } as { [P in K]: string }) : {};

/**
 * The org admin keeps address and contacts up to date. Saved with the ETag of what was read: if someone
 * changed the profile meanwhile the API answers 412 and nothing is overwritten.
 */
export function OrganisationProfileForm(props: {
  organisation: OrganisationRecord;
  etag: string | null;
  onDone: () => void | Promise<void>;
}) {
  const { t } = useTranslation();
  const [changes, setChanges] = useState<Changes>(() => changesOf(props.organisation));
  const [place, setPlace] = useState<PlaceDraft>(() => ({
    ...changes.address,
    region: changes.region,
    coordinates: coordinatesDraftOf(changes.coordinates),
  }));
  const save = useMutation({
    mutationFn: async () => {
      const { phone, website, email } = changes.contact;
      const contact = { email: email.trim(), ...optional('phone', phone), ...optional('website', website) };
      return unwrap(
        registry.PUT('/v1/organisations/{id}/profile', {
          params: {
            path: { id: props.organisation.organisationId },
            header: props.etag ? { 'If-Match': props.etag } : {},
          },
          body: {
            profile: {
              ...changes,
              address: { street: place.street, postalCode: place.postalCode, locality: place.locality },
              region: place.region,
              coordinates: {
                latitude: coordinateOf(place.coordinates.latitude),
                longitude: coordinateOf(place.coordinates.longitude),
              },
              contact,
            },
          },
        }),
      );
    },
    onSuccess: () => props.onDone(),
  });
  const set = <K extends keyof Changes>(key: K, value: Changes[K]) => setChanges((c) => ({ ...c, [key]: value }));
  return (
    <Form
      label={t('admin.organisation.editForm')}
      error={save.error}
      onSubmit={() => save.mutate()}
      actions={
        <SubmitOrCancel label={t('common.save')} onCancel={() => void props.onDone()} pending={save.isPending} />
      }
    >
      <TextField
        label={t('admin.organisation.name')}
        pointer="/profile/name"
        value={changes.name}
        onChange={(name) => set('name', name)}
        autoComplete="organization"
        required
      />
      <PlaceFields
        place={place}
        onChange={setPlace}
        pointers={{ address: '/profile/address', region: '/profile/region', coordinates: '/profile/coordinates' }}
        hint={t('admin.organisation.coordinatesHint')}
      />
      <TextField
        label={t('admin.organisation.email')}
        pointer="/profile/contact/email"
        type="email"
        value={changes.contact.email}
        onChange={(email) => set('contact', { ...changes.contact, email })}
        autoComplete="email"
        required
      />
      <TextField
        label={t('admin.organisation.phone')}
        pointer="/profile/contact/phone"
        type="tel"
        value={changes.contact.phone ?? ''}
        onChange={(phone) => set('contact', { ...changes.contact, phone })}
        autoComplete="tel"
      />
      <TextField
        label={t('admin.organisation.website')}
        pointer="/profile/contact/website"
        value={changes.contact.website ?? ''}
        onChange={(website) => set('contact', { ...changes.contact, website })}
        autoComplete="url"
      />
      <TextField
        label={t('admin.organisation.dataProtection')}
        pointer="/profile/dataProtectionRegistration"
        value={changes.dataProtectionRegistration}
        onChange={(dataProtectionRegistration) => set('dataProtectionRegistration', dataProtectionRegistration)}
        required
      />
    </Form>
  );
}
