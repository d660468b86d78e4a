import { useTranslation } from 'react-i18next';
import { SelectField, TextField } from '../../components/form.js';
import { REGIONS } from '../../vocabulary.js';
import type { CoordinatesDraft } from './serviceDrafts.js';

export interface PlaceDraft {
  street: string;
  postalCode: string;
  locality: string;
  region: string;
  coordinates: CoordinatesDraft;
}

/**
 * Where something is: street, postal code and town, region, and map position as typed. The organisation's
 * profile and a service's location both use it; each names the pointers its own body puts them at.
 */
export function PlaceFields(props: {
  place: PlaceDraft;
  onChange: (place: PlaceDraft) => void;
  pointers: { address: string; region: string; coordinates: string };
  hint: string;
}) {
  const { t } = useTranslation();
  const { place, pointers } = props;
  const set = (change: Partial<PlaceDraft>) => props.onChange({ ...place, ...change });
  const setCoordinates = (change: Partial<CoordinatesDraft>) =>
    set({ coordinates: { ...place.coordinates, ...change } });
  return (
    <>
      <TextField
        label={t('admin.organisation.street')}
        pointer={`${pointers.address}/street`}
        value={place.street}
        onChange={(street) => set({ street })}
        autoComplete="street-address"
        required
      />
      <div className="row">
        <TextField
          label={t('admin.organisation.postalCode')}
          pointer={`${pointers.address}/postalCode`}
          value={place.postalCode}
          onChange={(postalCode) => set({ postalCode })}
          autoComplete="postal-code"
          required
        />
        <TextField
          label={t('admin.organisation.locality')}
          pointer={`${pointers.address}/locality`}
          value={place.locality}
          onChange={(locality) => set({ locality })}
          autoComplete="address-level2"
          required
        />
      </div>
      <SelectField
        label={t('admin.organisation.region')}
        pointer={pointers.region}
        value={place.region}
        onChange={(region) => set({ region })}
        options={[...new Set([...REGIONS, place.region])].map((r) => ({
          value: r,
          label: t(`vocab.region.${r}`, { defaultValue: r }),
        }))}
        required
      />
      <div className="row">
        <TextField
          label={t('admin.organisation.latitude')}
          pointer={`${pointers.coordinates}/latitude`}
          type="number"
          value={place.coordinates.latitude}
          onChange={(latitude) => setCoordinates({ latitude })}
          required
        />
        <TextField
          label={t('admin.organisation.longitude')}
          pointer={`${pointers.coordinates}/longitude`}
          type="number"
          value={place.coordinates.longitude}
          onChange={(longitude) => setCoordinates({ longitude })}
          required
        />
      </div>
      <p className="hint">{props.hint}</p>
    </>
  );
}
