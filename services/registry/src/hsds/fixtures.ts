import type { OrganisationRow, ServiceRecord } from '../projections/directoryRows.js';
import { locationUuid, serviceAtLocationUuid } from './ids.js';

/** A seeded organisation and service, as the directory read model returns them (for mapping specs). */
export const seededOrganisation: OrganisationRow = {
  id: '0b6a5d3e-7d35-4c0e-9d1e-2f1d7a9b4c01',
  name: 'Arsis Thessaloniki (demo)',
  kind: 'ngo',
  legal_identifier: 'EL-090000001',
  country: 'GR',
  region: 'EL52',
  street: 'Egnatia 1',
  locality: 'Thessaloniki',
  postal_code: '54630',
  latitude: 40.6401,
  longitude: 22.9444,
  email: 'info@arsis.example',
  phone: '+30 2310 000000',
  website: 'https://arsis.example',
  status: 'approved',
  licence_valid_until: '2030-01-01T00:00:00.000Z',
  accepted_code_version: 1,
  updated_at: '2025-03-01T10:00:00.000Z',
};

const serviceId = '5b1c3f0a-8d2e-4a7b-9c6d-1e2f3a4b5c6d';
const locationId = locationUuid(serviceId, 'loc-1');

export const seededService: ServiceRecord = {
  id: serviceId,
  organisation_id: seededOrganisation.id,
  name: 'Emergency shelter for families',
  description: 'Beds for families on arrival.',
  category_id: 'emergency_shelter',
  min_age: 0,
  max_age: null,
  response_time_hours: 24,
  available: 12,
  maximum: 40,
  intake: 'open',
  status: 'active',
  updated_at: '2025-03-01T10:00:00.000Z',
  organisation: seededOrganisation,
  languages: ['el', 'en', 'ar', 'prs'],
  legal_statuses: ['asylum_seeker', 'refugee'],
  areas: ['EL52'],
  locations: [
    {
      id: locationId,
      service_id: serviceId,
      sal_id: serviceAtLocationUuid(serviceId, locationId),
      location_key: 'loc-1',
      name: 'Shelter Kalamaria',
      street: 'Ethnikis Antistaseos 10',
      locality: 'Kalamaria',
      postal_code: '55134',
      region: 'EL52',
      country: 'GR',
      latitude: 40.5826,
      longitude: 22.9501,
      schedules: [
        { location_id: locationId, weekday: 1, opens: '09:00', closes: '17:00' },
        { location_id: locationId, weekday: 6, opens: '10:00', closes: '14:00' },
      ],
    },
  ],
};
