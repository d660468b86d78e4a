/**
 * Regions are codes (NUTS where they exist, e.g. EL30 = Attica), as the integration events require;
 * names are for display. The Greek NUTS-2 regions are shipped; other countries' codes are accepted by
 * shape and shown as the code until their names are added.
 */
export const REGION_CODE = /^[A-Za-z0-9-]{1,16}$/;

export const REGION_NAMES: Readonly<Record<string, string>> = {
  EL30: 'Attica',
  EL41: 'North Aegean',
  EL42: 'South Aegean',
  EL43: 'Crete',
  EL51: 'Eastern Macedonia and Thrace',
  EL52: 'Central Macedonia',
  EL53: 'Western Macedonia',
  EL54: 'Epirus',
  EL61: 'Thessaly',
  EL62: 'Ionian Islands',
  EL63: 'Western Greece',
  EL64: 'Central Greece',
  EL65: 'Peloponnese',
};

export const isRegionCode = (value: unknown): value is string => typeof value === 'string' && REGION_CODE.test(value);

export const regionName = (code: string): string => REGION_NAMES[code] ?? code;
