import { describe, expect, it } from 'vitest';
import {
  capacityDraftOf,
  capacityOf,
  detailsDraftOf,
  detailsOf,
  NEW_SERVICE_DETAILS,
  newLocation,
  withLocation,
  withoutLocation,
} from '../../web/src/screens/admin/serviceDrafts.js';

describe("a service's details and capacity as the forms edit them", () => {
  it('sends an empty age as no limit, and a typed one as a number', () => {
    const draft = detailsDraftOf(NEW_SERVICE_DETAILS);
    expect(draft).toMatchObject({ minAge: '', maxAge: '' });
    expect(detailsOf({ ...draft, minAge: '18', maxAge: ' ' }).eligibility).toEqual({
      legalStatuses: [],
      minAge: 18,
      maxAge: null,
    });
  });

  it('round-trips a capacity through the strings typed', () => {
    const capacity = { available: 3, maximum: 10, intake: 'waitlist' } as const;
    expect(capacityOf(capacityDraftOf(capacity))).toEqual(capacity);
    expect(capacityOf({ available: '12', maximum: '10', intake: 'open' })).toEqual({
      available: 12,
      maximum: 10,
      intake: 'open',
    });
  });

  it("adds a location in the organisation's country; its typed coordinates become numbers, an empty one is refused by name", () => {
    const draft = withLocation(detailsDraftOf(NEW_SERVICE_DETAILS), newLocation('loc-1', 'GR', 'EL52'));
    expect(draft.details.locations[0]!.address).toMatchObject({ country: 'GR', region: 'EL52' });
    expect(draft.details.locations[0]!.schedule).toHaveLength(5);
    const typed = { ...draft, coordinates: [{ latitude: '40.63', longitude: '' }] };
    const sent = JSON.parse(JSON.stringify(detailsOf(typed))) as typeof draft.details;
    expect(sent.locations[0]!.coordinates).toEqual({ latitude: 40.63, longitude: null });
    const second = withLocation(typed, newLocation('loc-2', 'GR', 'EL30'));
    const left = withoutLocation(second, 0);
    expect(left.details.locations.map((l) => l.locationId)).toEqual(['loc-2']);
    expect(left.coordinates).toEqual([{ latitude: '', longitude: '' }]);
  });
});
