import { regionName } from '../domain/shared/regions.js';
import { taxonomyTerm } from '../domain/service/taxonomy.js';
import type { LocationRecord, OrganisationRow, ServiceRecord } from '../projections/directoryRows.js';
import { serviceAtLocationUuid, taxonomyTermUuid, uuidV5 } from './ids.js';
import { toHsdsTaxonomyTerm } from './taxonomy.js';

/**
 * Pure mapping from directory rows to HSDS 3.0 objects. Only what a public directory may show:
 * organisation and service data, never people, licences or anything about clients.
 */
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

const LEGAL_STATUS_LABELS: Record<string, string> = {
  asylum_seeker: 'asylum seekers',
  refugee: 'recognised refugees',
  subsidiary_protection: 'beneficiaries of subsidiary protection',
  resettled: 'resettled refugees',
  humanitarian_admission: 'people admitted on humanitarian grounds',
  other: 'other statuses',
};

export const toHsdsOrganizationSummary = (org: OrganisationRow) => ({
  id: org.id,
  name: org.name,
  description: `${kindLabel(org.kind)} in ${regionName(org.region)}, ${org.country}.`,
  email: org.email,
  ...(org.website ? { website: org.website } : {}),
  tax_id: org.legal_identifier,
  legal_status: kindLabel(org.kind),
});

const kindLabel = (kind: string): string => kind.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());

const organisationLocation = (org: OrganisationRow) => ({
  id: uuidV5(`organisation/${org.id}/location`),
  location_type: 'physical' as const,
  organization_id: org.id,
  name: org.name,
  latitude: org.latitude,
  longitude: org.longitude,
  addresses: [
    {
      id: uuidV5(`organisation/${org.id}/address`),
      location_id: uuidV5(`organisation/${org.id}/location`),
      address_1: org.street,
      city: org.locality,
      state_province: regionName(org.region),
      postal_code: org.postal_code,
      country: org.country,
      address_type: 'physical' as const,
    },
  ],
});

export const toHsdsOrganization = (org: OrganisationRow, services: readonly ServiceRecord[] = []) => ({
  ...toHsdsOrganizationSummary(org),
  phones: org.phone
    ? [{ id: uuidV5(`organisation/${org.id}/phone`), organization_id: org.id, number: org.phone, type: 'voice' }]
    : [],
  locations: [organisationLocation(org)],
  organization_identifiers: [
    {
      id: uuidV5(`organisation/${org.id}/identifier`),
      organization_id: org.id,
      identifier_scheme: org.country,
      identifier_type: 'legal identifier',
      identifier: org.legal_identifier,
    },
  ],
  services: services.map((service) => toHsdsServiceSummary(service)),
});

const schedulesOf = (serviceId: string, location: LocationRecord) =>
  location.schedules.map((slot) => ({
    id: uuidV5(`location/${location.id}/schedule/${slot.weekday}/${slot.opens}`),
    service_id: serviceId,
    location_id: location.id,
    freq: 'WEEKLY' as const,
    wkst: 'MO' as const,
    byday: WEEKDAYS[slot.weekday - 1]!,
    opens_at: slot.opens,
    closes_at: slot.closes,
    description: `${WEEKDAYS[slot.weekday - 1]} ${slot.opens}–${slot.closes}`,
  }));

export const toHsdsLocation = (serviceId: string, location: LocationRecord) => ({
  id: location.id,
  location_type: 'physical' as const,
  name: location.name,
  latitude: location.latitude,
  longitude: location.longitude,
  addresses: [
    {
      id: uuidV5(`location/${location.id}/address`),
      location_id: location.id,
      address_1: location.street,
      city: location.locality,
      state_province: regionName(location.region),
      postal_code: location.postal_code,
      country: location.country,
      address_type: 'physical' as const,
    },
  ],
  schedules: schedulesOf(serviceId, location),
});

const eligibilityDescription = (service: ServiceRecord): string => {
  const statuses = service.legal_statuses.map((s) => LEGAL_STATUS_LABELS[s] ?? s).join(', ');
  const ages =
    service.min_age !== null && service.max_age !== null
      ? `, aged ${service.min_age}–${service.max_age}`
      : service.min_age !== null
        ? `, aged ${service.min_age} and over`
        : service.max_age !== null
          ? `, aged up to ${service.max_age}`
          : '';
  return `For ${statuses}${ages}.`;
};

// Capacity is what referrers need most: intake closed reads as "temporarily closed" in HSDS terms.
const hsdsStatus = (service: ServiceRecord) =>
  service.status === 'withdrawn'
    ? ('defunct' as const)
    : service.intake === 'closed'
      ? ('temporarily closed' as const)
      : ('active' as const);

const capacityText = (service: ServiceRecord): string =>
  service.intake === 'open'
    ? `Intake open: ${service.available} of ${service.maximum} places available.`
    : service.intake === 'waitlist'
      ? `Waiting list: ${service.available} of ${service.maximum} places available.`
      : 'Intake closed.';

const categoryAttribute = (service: ServiceRecord, baseUrl: string) => {
  const term = taxonomyTerm(service.category_id);
  return {
    id: uuidV5(`service/${service.id}/attribute/category`),
    link_id: service.id,
    link_type: 'service_category',
    link_entity: 'service',
    taxonomy_term_id: taxonomyTermUuid(service.category_id),
    ...(term ? { taxonomy_term: toHsdsTaxonomyTerm(term, baseUrl) } : {}),
  };
};

/** The fields a list item carries (HSDS service_list has no nested collections). */
export const toHsdsServiceSummary = (service: ServiceRecord) => ({
  id: service.id,
  organization_id: service.organisation_id,
  name: service.name,
  description: service.description,
  status: hsdsStatus(service),
  application_process: 'By referral from a member organisation of the ESTIA network.',
  wait_time: `Referrals answered within ${service.response_time_hours} hours. ${capacityText(service)}`,
  eligibility_description: eligibilityDescription(service),
  ...(service.min_age !== null ? { minimum_age: service.min_age } : {}),
  ...(service.max_age !== null ? { maximum_age: service.max_age } : {}),
  last_modified: service.updated_at,
});

export const toHsdsService = (service: ServiceRecord, baseUrl: string) => ({
  ...toHsdsServiceSummary(service),
  organization: toHsdsOrganizationSummary(service.organisation),
  languages: service.languages.map((code) => ({
    id: uuidV5(`service/${service.id}/language/${code}`),
    service_id: service.id,
    name: languageNames.of(code) ?? code,
    code,
  })),
  service_areas: service.areas.map((area) => ({
    id: uuidV5(`service/${service.id}/area/${area}`),
    service_id: service.id,
    name: regionName(area),
    description: `Region ${area}`,
    extent_type: 'text',
    extent: area,
  })),
  service_at_locations: service.locations.map((location) => toHsdsServiceAtLocationSummary(service, location)),
  attributes: [categoryAttribute(service, baseUrl)],
});

const toHsdsServiceAtLocationSummary = (service: ServiceRecord, location: LocationRecord) => ({
  id: serviceAtLocationUuid(service.id, location.id),
  service_id: service.id,
  location_id: location.id,
  description: `${service.name} at ${location.name}`,
  schedules: schedulesOf(service.id, location),
  location: toHsdsLocation(service.id, location),
});

export const toHsdsServiceAtLocation = (service: ServiceRecord, location: LocationRecord) => ({
  ...toHsdsServiceAtLocationSummary(service, location),
  service: toHsdsServiceSummary(service),
});

/** List item for /service_at_locations (the list schema allows location and service, nothing nested deeper). */
export const toHsdsServiceAtLocationListItem = (service: ServiceRecord, location: LocationRecord) => ({
  id: serviceAtLocationUuid(service.id, location.id),
  service_id: service.id,
  location_id: location.id,
  description: `${service.name} at ${location.name}`,
});
