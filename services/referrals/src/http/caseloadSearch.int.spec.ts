import { randomUUID } from 'node:crypto';
import type { Role } from '@estia/infra/auth/principal.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUPLICATE_BUDGET } from '../application/duplicateReview.js';
import { createReferralsApplication } from '../application/referralsApplication.js';
import type { Actor } from '../domain/shared/actor.js';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged } from '../testing/registryEvents.js';

const ORG_A = randomUUID();
const ORG_C = randomUUID();
const officerA: Actor = { organisationId: ORG_A, userId: 'u-a', roles: ['referral_officer'] };
const officerC: Actor = { organisationId: ORG_C, userId: 'u-c', roles: ['referral_officer'] };

const person = (givenNames: string, familyName: string, dateOfBirth: string) => ({
  givenNames,
  familyName,
  dateOfBirth,
  nationalities: ['SY'],
  languages: [{ language: 'ar', level: 'C2' }],
  legalStatus: { status: 'asylum_seeker' },
});

describe('caseload search and duplicate detection on blind indexes', () => {
  let h: ReferralsHarness;
  const ids: Record<string, string> = {};
  const register = async (actor: Actor, name: string, p: ReturnType<typeof person>) => {
    const clientId = randomUUID();
    const result = await h.app.registerClient({ actor }, { clientId, personal: p as never, confirmedNew: true });
    await h.projector.waitFor(result.lastPosition!);
    ids[name] = clientId;
  };
  const search = async (q: string | undefined, roles: Role[] = ['referral_officer'], extra = '') =>
    h.http.inject({
      method: 'GET',
      url: `/v1/clients?${q === undefined ? '' : `q=${encodeURIComponent(q)}`}${extra}`,
      headers: await h.headers(ORG_A, roles),
    });
  const found = async (q: string) =>
    (await search(q)).json<{ items: { clientId: string }[] }>().items.map((i) => i.clientId);

  beforeAll(async () => {
    h = await startReferralsHarness({ name: 'search', facts: [membershipChanged(ORG_A), membershipChanged(ORG_C)] });
    await register(officerA, 'mohammed', person('Mohammed', 'Hassan', '1985-03-14'));
    await register(officerA, 'olena', person('Olena', 'Kovalenko', '1979-11-02'));
    for (let i = 0; i < 7; i++)
      await register(officerA, `pap${i}`, person(`Eleni ${'abcdefg'[i]}`, 'Papadopoulou', `1990-01-0${i + 1}`));
    // Another organisation's client of the same name is not in A's caseload.
    await register(officerC, 'otherMohammed', person('Mohammad', 'Hasan', '1985-03-14'));
  });
  afterAll(async () => h?.close());

  it('finds a client of the own caseload by spelling variants and other scripts, and by date of birth', async () => {
    for (const q of ['Muhammad Hasan', 'hassan', 'محمد حسن', 'Μωχάμεντ Χασάν', '1985-03-14'])
      expect(await found(q), q).toEqual([ids.mohammed]);
    expect(await found('Кovalenko Olena'.replace('К', 'K'))).toEqual([ids.olena]);
    expect(await found('Олена Коваленко')).toEqual([ids.olena]);
    expect(await found('Hassan Olena')).toEqual([]);
    expect(await found('?!')).toEqual([]);
  });

  it('pages with an opaque cursor, without repeating or skipping anyone', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await search('papadopoulou', ['referral_officer'], `&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json<{ items: { clientId: string; familyName: string }[]; nextCursor: string | null }>();
      expect(body.items.every((i) => i.familyName === 'Papadopoulou')).toBe(true);
      seen.push(...body.items.map((i) => i.clientId));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(
      Object.keys(ids)
        .filter((k) => k.startsWith('pap'))
        .map((k) => ids[k])
        .sort(),
    );
    expect((await search(undefined, ['referral_officer'], '&limit=500')).statusCode).toBe(400);
    const bad = await search('papadopoulou', ['referral_officer'], '&cursor=bm90LWEtY3Vyc29y');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ pointer: '/querystring/cursor' }] });
  });

  it('is for officers and data protection officers, not administrators', async () => {
    expect((await search('hassan', ['data_protection_officer'])).json()).toMatchObject({
      items: [{ clientId: ids.mohammed }],
    });
    expect((await search('hassan', ['org_admin'])).statusCode).toBe(403);
    expect((await search('hassan', ['job_coach'])).statusCode).toBe(403);
  });

  it('duplicate detection opens as many profiles whether or not someone matches', async () => {
    // Enough clients that the budget is filled with others when nobody looks alike.
    for (let i = 0; i < DUPLICATE_BUDGET; i++)
      await register(
        officerA,
        `filler${i}`,
        person(`Filler ${'abcdefghijklmnopqrstuvwxyz'[i]}`, 'Someone', '2001-02-03'),
      );
    const opened = new Set<string>();
    const counting: KeyStore = {
      createKey: (clientId) => h.keyStore.createKey(clientId),
      destroyKey: (clientId, at) => h.keyStore.destroyKey(clientId, at),
      getKey: (clientId) => {
        opened.add(clientId);
        return h.keyStore.getKey(clientId);
      },
    };
    const app = createReferralsApplication({ store: h.store, db: h.db, keyStore: counting, blindIndex: h.blindIndex });
    const attempt = async (p: ReturnType<typeof person>) => {
      opened.clear();
      const clientId = randomUUID();
      const answer = await app.registerClient({ actor: officerC }, { clientId, personal: p as never }).then(
        () => 'registered',
        (e: { extensions?: { rule?: string } }) => e.extensions?.rule,
      );
      // Sealing the new client's own data looks up its (new) key: that is not duplicate detection.
      opened.delete(clientId);
      return { answer, opened: opened.size };
    };
    const known = await attempt(person('Olena', 'Kovalenko', '1979-11-02'));
    const unknown = await attempt(person('Quillon', 'Zebrowski', '1955-07-30'));
    expect(known).toEqual({ answer: 'possibly_known_in_network', opened: DUPLICATE_BUDGET });
    expect(unknown).toEqual({ answer: 'registered', opened: DUPLICATE_BUDGET });
  });
});
