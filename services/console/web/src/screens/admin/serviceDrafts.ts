import { SERVICE_CATEGORIES } from '../../vocabulary.js';
import type { Schemas } from './adminApi.js';

type Details = Schemas['ServiceDetails'];
type Capacity = Schemas['Capacity'];

type Location = Details['locations'][number];

/** A location's map position as typed (one per location, in the same order). */
export interface CoordinatesDraft {
  latitude: string;
  longitude: string;
}

/**
 * The details as edited: the ages as typed, so that an empty field means "no limit" rather than 0, and
 * each location's coordinates as typed, so that an emptied one is refused by name rather than sent as 0.
 */
export interface DetailsDraft {
  details: Details;
  minAge: string;
  maxAge: string;
  coordinates: CoordinatesDraft[];
}

export const detailsDraftOf = (details: Details): DetailsDraft => ({
  details,
  minAge: details.eligibility.minAge?.toString() ?? '',
  maxAge: details.eligibility.maxAge?.toString() ?? '',
  coordinates: details.locations.map((l) => coordinatesDraftOf(l.coordinates)),
});

const ageOrNull = (value: string): number | null => (value.trim() === '' ? null : Number(value));
/** A typed coordinate as sent: empty is NaN, which travels as null in JSON, so the API names it. */
export const coordinateOf = (value: string | undefined): number =>
  value === undefined || value.trim() === '' ? Number.NaN : Number(value);
export const coordinatesDraftOf = (c: { latitude: number; longitude: number }): CoordinatesDraft => ({
  latitude: Number.isNaN(c.latitude) ? '' : String(c.latitude),
  longitude: Number.isNaN(c.longitude) ? '' : String(c.longitude),
});

export const detailsOf = (draft: DetailsDraft): Details => ({
  ...draft.details,
  eligibility: { ...draft.details.eligibility, minAge: ageOrNull(draft.minAge), maxAge: ageOrNull(draft.maxAge) },
  locations: draft.details.locations.map((l, i) => ({
    ...l,
    coordinates: {
      latitude: coordinateOf(draft.coordinates[i]?.latitude),
      longitude: coordinateOf(draft.coordinates[i]?.longitude),
    },
  })),
});

/** A place to add: empty but for the country (the organisation's), the region and weekday hours. */
export const newLocation = (locationId: string, country: string, region: string): Location => ({
  locationId,
  name: '',
  address: { street: '', locality: '', postalCode: '', region, country },
  coordinates: { latitude: Number.NaN, longitude: Number.NaN },
  schedule: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })) as Location['schedule'],
});

export const withLocation = (draft: DetailsDraft, location: Location): DetailsDraft => ({
  ...draft,
  details: { ...draft.details, locations: [...draft.details.locations, location] },
  coordinates: [...draft.coordinates, { latitude: '', longitude: '' }],
});

export const withoutLocation = (draft: DetailsDraft, index: number): DetailsDraft => ({
  ...draft,
  details: { ...draft.details, locations: draft.details.locations.filter((_, i) => i !== index) },
  coordinates: draft.coordinates.filter((_, i) => i !== index),
});

/**
 * A service not yet registered. The category select has no empty choice (the contract has no "none"),
 * so it starts on the first term, as the other forms' selects start on a value; the lists start empty
 * for the admin to choose, and a remote service may have no location.
 */
export const NEW_SERVICE_DETAILS: Details = {
  name: '',
  categoryId: SERVICE_CATEGORIES[0],
  description: '',
  eligibility: { legalStatuses: [], minAge: null, maxAge: null },
  languages: [],
  serviceAreas: [],
  locations: [],
  responseTimeHours: 72,
};

/** The places as typed, turned into numbers on submit (the API names a value it refuses). */
export interface CapacityDraft {
  available: string;
  maximum: string;
  intake: Capacity['intake'];
}

export const capacityDraftOf = (capacity: Capacity): CapacityDraft => ({
  available: String(capacity.available),
  maximum: String(capacity.maximum),
  intake: capacity.intake,
});

export const capacityOf = (draft: CapacityDraft): Capacity => ({
  available: Number(draft.available),
  maximum: Number(draft.maximum),
  intake: draft.intake,
});

/** A new service starts taking no one: the admin opens the intake once the places are set. */
export const NEW_SERVICE_CAPACITY: Capacity = { available: 0, maximum: 0, intake: 'closed' };
