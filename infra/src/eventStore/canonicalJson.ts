/**
 * Canonical JSON (the JCS / RFC 8785 shape for the values events carry): object keys sorted by code
 * unit, no whitespace, `undefined` members dropped as JSON.stringify does. Hashes are computed over
 * these bytes so that the chain does not depend on how an adapter stores or re-orders JSON
 * (PostgreSQL jsonb, KurrentDB, SQLite text all round-trip to the same canonical form).
 */
export function canonicalJson(value: unknown): string {
  const out = write(value);
  if (out === undefined) throw new TypeError('canonicalJson: value is not representable in JSON');
  return out;
}

// Runs for every payload of every append (twice per event): string building instead of arrays and
// join, and no sort when the keys already come in order (the usual case for literals written sorted).
function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // NaN/Infinity would silently become null in JSON.stringify and break the chain after a round trip.
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'bigint':
      throw new TypeError('canonicalJson: bigint is not JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return 'null';
  const obj = value as { toJSON?: () => unknown };
  if (typeof obj.toJSON === 'function') return write(obj.toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + (write(value[i]) ?? 'null');
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!isSorted(keys)) keys.sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = write(record[key]);
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${member}`;
    first = false;
  }
  return `${out}}`;
}

/** Same order as the default `sort()`: UTF-16 code units. */
function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i += 1) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}
