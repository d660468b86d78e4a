import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson.js';
import { GENESIS_HASH, canonicalEventBytes, chainHash, chainHashFromJson, verifyChain } from './hashChain.js';

const event = (revision: number, data: unknown = { b: 1, a: [true, null, 'x'] }) => ({
  streamId: 'client-1',
  revision,
  id: `id-${revision}`,
  type: 'Noted',
  data,
  metadata: { correlationId: 'c', actor: { userId: 'u' } },
  recordedAt: '2025-01-02T03:04:05.678Z',
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: 'é"' } })).toBe(
      '{"a":{"c":"é\\"","d":[3,{"z":1}]},"b":1}',
    );
  });

  it('is stable under a JSON round trip and independent of key order', () => {
    const value = { z: [1.5, -0, 1e21], a: { y: 'ü\u0000', x: false } };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(
      canonicalJson({ a: { x: false, y: 'ü\u0000' }, z: [1.5, 0, 1e21] }),
    );
  });

  it('refuses values JSON would silently change', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });
});

describe('hash chain', () => {
  it('is sha256 of the previous hash and the canonical event bytes, without the global position', () => {
    const e = event(0);
    const expected = createHash('sha256').update(GENESIS_HASH).update(canonicalEventBytes(e)).digest('hex');
    expect(chainHash(null, e)).toBe(expected);
    expect(canonicalEventBytes(e)).toBe(canonicalJson(e));
    expect(chainHashFromJson(null, e, canonicalJson(e.data), canonicalJson(e.metadata))).toBe(expected);
  });

  it('verifies an intact chain and names the first broken link', async () => {
    const events = [event(0), event(1), event(2)];
    let previous: string | null = null;
    const chained = events.map((e) => {
      previous = chainHash(previous, e);
      return { ...e, hash: previous };
    });
    expect(await verifyChain('client-1', chained)).toEqual({
      ok: true,
      streamId: 'client-1',
      events: 3,
      lastHash: previous,
    });
    const altered = chained.map((e) => (e.revision === 1 ? { ...e, data: { b: 2 } } : e));
    expect(await verifyChain('client-1', altered)).toMatchObject({ ok: false, brokenAt: 1, events: 1 });
    const gap = [chained[0]!, chained[2]!];
    expect(await verifyChain('client-1', gap)).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
