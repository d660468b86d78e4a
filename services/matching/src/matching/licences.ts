import { DRIVING_LICENCES, type DrivingLicence } from '../domain/shared/vocabulary.js';

// Directive 2006/126/EC: a higher category includes the lower ones it is built on.
const INCLUDES: Partial<Record<DrivingLicence, DrivingLicence[]>> = {
  A: ['A2', 'A1', 'AM'],
  A2: ['A1', 'AM'],
  A1: ['AM'],
  B: ['AM'],
  BE: ['B', 'AM'],
  C1: ['B', 'AM'],
  C: ['C1', 'B', 'AM'],
  C1E: ['C1', 'BE', 'B', 'AM'],
  CE: ['C', 'C1', 'C1E', 'BE', 'B', 'AM'],
  D1: ['B', 'AM'],
  D: ['D1', 'B', 'AM'],
  D1E: ['D1', 'BE', 'B', 'AM'],
  DE: ['D', 'D1', 'D1E', 'BE', 'B', 'AM'],
};

export const licenceBit = (l: DrivingLicence): number => 1 << DRIVING_LICENCES.indexOf(l);

/** The licences held, with every category they include, as a bit mask. */
export const licenceMask = (held: readonly DrivingLicence[]): number => {
  let mask = 0;
  for (const l of held) {
    mask |= licenceBit(l);
    for (const inc of INCLUDES[l] ?? []) mask |= licenceBit(inc);
  }
  return mask;
};

export const holdsLicence = (held: readonly DrivingLicence[], needed: DrivingLicence | null): boolean =>
  needed === null || (licenceMask(held) & licenceBit(needed)) !== 0;
