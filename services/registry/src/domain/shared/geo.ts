import type { Validation } from './validation.js';

export interface Coordinates {
  latitude: number;
  longitude: number;
}

export interface Address {
  street: string;
  locality: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  region: string;
}

export const validateCoordinates = (v: Validation, value: Coordinates | undefined, path: string): void => {
  if (!value || typeof value !== 'object') {
    v.fail(path, 'is required');
    return;
  }
  const { latitude, longitude } = value;
  v.check(
    typeof latitude === 'number' && latitude >= -90 && latitude <= 90,
    `${path}/latitude`,
    'must be between -90 and 90',
  );
  v.check(
    typeof longitude === 'number' && longitude >= -180 && longitude <= 180,
    `${path}/longitude`,
    'must be between -180 and 180',
  );
};

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in km (haversine; error < 0.5 % against the ellipsoid, fine for "near me"). */
export const distanceKm = (a: Coordinates, b: Coordinates): number => {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
};

/**
 * The lat/lon box that contains every point within `radiusKm` of `centre`, so an index range scan can
 * discard most rows before the exact distance is computed. Near the poles the box spans all longitudes.
 */
export const boundingBox = (
  centre: Coordinates,
  radiusKm: number,
): { minLat: number; maxLat: number; minLon: number; maxLon: number } => {
  const dLat = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI);
  const minLat = Math.max(-90, centre.latitude - dLat);
  const maxLat = Math.min(90, centre.latitude + dLat);
  const cos = Math.cos(rad(Math.max(Math.abs(minLat), Math.abs(maxLat))));
  if (cos < 1e-9 || maxLat >= 90 || minLat <= -90) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  const dLon = dLat / cos;
  if (dLon >= 180) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  // Boxes crossing the antimeridian are widened to all longitudes: rare for this network, and correct.
  const minLon = centre.longitude - dLon;
  const maxLon = centre.longitude + dLon;
  if (minLon < -180 || maxLon > 180) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  return { minLat, maxLat, minLon, maxLon };
};
