import { AppError } from '@estia/infra/errors/appError.js';
import { isCountryCode } from '../shared/countries.js';
import { validateCoordinates } from '../shared/geo.js';
import { isLanguageCode } from '../shared/languages.js';
import { isRegionCode } from '../shared/regions.js';
import { Validation } from '../shared/validation.js';
import { isTaxonomyTerm } from './taxonomy.js';
import { INTAKE_STATES, LEGAL_STATUSES, type Capacity, type ServiceDetails } from './serviceDetails.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_CAPACITY = 1_000_000;

const checkCapacity = (v: Validation, capacity: Capacity | undefined, path: string): void => {
  if (!capacity || typeof capacity !== 'object') {
    v.fail(path, 'is required');
    return;
  }
  const okMax = v.integer(capacity.maximum, `${path}/maximum`, 0, MAX_CAPACITY);
  const okAvailable = v.integer(capacity.available, `${path}/available`, 0, MAX_CAPACITY);
  if (okMax && okAvailable)
    v.check(capacity.available <= capacity.maximum, `${path}/available`, 'must not exceed maximum', {
      rule: 'maximum',
      limit: capacity.maximum,
    });
  v.check(
    (INTAKE_STATES as readonly string[]).includes(capacity.intake),
    `${path}/intake`,
    `must be one of ${INTAKE_STATES.join(', ')}`,
  );
};

/** Capacity alone (the capacity command's whole body); a full register also checks it. */
export const validateCapacity = (capacity: Capacity, path = '/capacity'): void => {
  const v = new Validation();
  checkCapacity(v, capacity, path);
  v.throwIfInvalid('capacity');
  assertIntakeConsistent(capacity);
};

// A service cannot promise open intake with no place left: referrers would be sent into a wall.
const assertIntakeConsistent = (capacity: Capacity): void => {
  if (capacity.intake === 'open' && capacity.available === 0)
    throw new AppError(
      'BUSINESS_RULE_VIOLATED',
      'intake cannot be open with no places available: use waitlist or closed',
    );
};

export const validateServiceDetails = (details: ServiceDetails | undefined, capacity?: Capacity): void => {
  const v = new Validation();
  if (!details || typeof details !== 'object') {
    v.fail('/details', 'is required');
    v.throwIfInvalid('service');
    return;
  }
  const p = '/details';
  v.text(details.name, `${p}/name`, { max: 200 });
  v.check(isTaxonomyTerm(details.categoryId), `${p}/categoryId`, 'must be a term of the service taxonomy');
  v.text(details.description, `${p}/description`, { max: 5000 });

  const eligibility = details.eligibility;
  if (!eligibility || typeof eligibility !== 'object') v.fail(`${p}/eligibility`, 'is required');
  else {
    if (!Array.isArray(eligibility.legalStatuses) || eligibility.legalStatuses.length === 0)
      v.fail(`${p}/eligibility/legalStatuses`, 'must list at least one legal status');
    else
      eligibility.legalStatuses.forEach((status, i) =>
        v.check(
          (LEGAL_STATUSES as readonly string[]).includes(status),
          `${p}/eligibility/legalStatuses/${i}`,
          `must be one of ${LEGAL_STATUSES.join(', ')}`,
        ),
      );
    const okMin = eligibility.minAge === null || v.integer(eligibility.minAge, `${p}/eligibility/minAge`, 0, 120);
    const okMax = eligibility.maxAge === null || v.integer(eligibility.maxAge, `${p}/eligibility/maxAge`, 0, 120);
    if (okMin && okMax && eligibility.minAge !== null && eligibility.maxAge !== null)
      v.check(eligibility.minAge <= eligibility.maxAge, `${p}/eligibility/maxAge`, 'must not be below minAge');
  }

  if (!Array.isArray(details.languages) || details.languages.length === 0)
    v.fail(`${p}/languages`, 'must list at least one language');
  else
    details.languages.forEach((code, i) =>
      v.check(isLanguageCode(code), `${p}/languages/${i}`, 'must be an ISO 639-1 or ISO 639-3 language code'),
    );

  if (!Array.isArray(details.serviceAreas) || details.serviceAreas.length === 0)
    v.fail(`${p}/serviceAreas`, 'must list at least one region');
  else
    details.serviceAreas.forEach((area, i) =>
      v.check(isRegionCode(area), `${p}/serviceAreas/${i}`, 'must be a region code (NUTS, e.g. EL30)'),
    );

  if (!Array.isArray(details.locations)) v.fail(`${p}/locations`, 'must be a list (may be empty for remote services)');
  else {
    const ids = new Set<string>();
    details.locations.forEach((location, i) => {
      const lp = `${p}/locations/${i}`;
      v.text(location.locationId, `${lp}/locationId`, { max: 100 });
      v.check(!ids.has(location.locationId), `${lp}/locationId`, 'must be unique within the service');
      ids.add(location.locationId);
      v.text(location.name, `${lp}/name`, { max: 200 });
      if (!location.address || typeof location.address !== 'object') v.fail(`${lp}/address`, 'is required');
      else {
        v.text(location.address.street, `${lp}/address/street`, { max: 200 });
        v.text(location.address.locality, `${lp}/address/locality`, { max: 100 });
        v.text(location.address.postalCode, `${lp}/address/postalCode`, { max: 20 });
        v.check(
          isRegionCode(location.address.region),
          `${lp}/address/region`,
          'must be a region code (NUTS, e.g. EL30)',
        );
        v.check(isCountryCode(location.address.country), `${lp}/address/country`, 'must be an ISO 3166-1 alpha-2 code');
      }
      validateCoordinates(v, location.coordinates, `${lp}/coordinates`);
      if (!Array.isArray(location.schedule)) v.fail(`${lp}/schedule`, 'must be a list');
      else
        location.schedule.forEach((slot, j) => {
          const sp = `${lp}/schedule/${j}`;
          v.integer(slot.weekday, `${sp}/weekday`, 1, 7);
          const okOpens = v.check(TIME.test(slot.opens ?? ''), `${sp}/opens`, 'must be HH:MM');
          const okCloses = v.check(TIME.test(slot.closes ?? ''), `${sp}/closes`, 'must be HH:MM');
          if (okOpens && okCloses) v.check(slot.opens < slot.closes, `${sp}/closes`, 'must be after opens');
        });
    });
  }
  v.integer(details.responseTimeHours, `${p}/responseTimeHours`, 1, 24 * 90);
  if (capacity !== undefined) checkCapacity(v, capacity, '/capacity');
  v.throwIfInvalid('service');
  if (capacity) assertIntakeConsistent(capacity);
};
