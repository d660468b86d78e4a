import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyEncryptionKey } from './keyEncryptionKey.js';

describe('parseKeyEncryptionKey', () => {
  it('accepts 32 bytes of base64 and derives a stable id that does not reveal the key', () => {
    const raw = randomBytes(32).toString('base64');
    const a = parseKeyEncryptionKey(raw);
    expect(a.bytes.toString('base64')).toBe(raw);
    expect(parseKeyEncryptionKey(` ${raw}\n`).id).toBe(a.id);
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
    expect(raw).not.toContain(a.id);
    expect(parseKeyEncryptionKey(randomBytes(32).toString('base64')).id).not.toBe(a.id);
  });

  it.each([
    [undefined, /not set/],
    ['', /not set/],
    ['not base64!!', /not valid base64/],
    [randomBytes(16).toString('base64'), /32 bytes, got 16/],
  ])('refuses %s', (value, message) => {
    expect(() => parseKeyEncryptionKey(value)).toThrow(message);
  });
});
