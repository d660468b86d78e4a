import { randomUUID } from 'node:crypto';
import type { TestIssuer } from '@estia/infra/auth/testIssuer.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE, inbox } from '../projections/queries.js';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';

const SENDER = randomUUID();
const RECEIVER = randomUUID();
const BULK = randomUUID(); // receives rows written straight into the read model (page-size limits)

/** A row as the projector writes it; only what the list reads matters here. */
const insertReferral = (db: SqlDatabase, receiver: string, requestedAt: string, status = 'requested') =>
  db.execute(
    `INSERT INTO rf_referrals (referral_id, client_id, sender_org, receiver_org, service_id, category, need_id, share,
       status, consent_id, consent_overridden, requested_at, respond_by, updated_at)
     VALUES ($1, $2, $3, $4, NULL, 'housing', NULL, '[]', $5, NULL, 0, $6, $7, $6)`,
    [randomUUID(), randomUUID(), SENDER, receiver, status, requestedAt, '2025-01-01T00:00:00.000Z'],
  );

describe('inbox/outbox paging: limit + keyset cursor', () => {
  let h: ReferralsHarness | undefined;
  let db: SqlDatabase;
  let http: FastifyInstance;
  let issuer: TestIssuer;
  const ids: string[] = [];

  beforeAll(async () => {
    h = await startReferralsHarness({ name: 'paging', logLevel: 'warn' });
    ({ db, http, issuer } = h);
    await h.projector.caughtUp;
    // Five received referrals, two of them at the same instant (the id breaks the tie).
    for (const at of ['01', '02', '03', '03', '04']) await insertReferral(db, RECEIVER, `2025-03-${at}T10:00:00.000Z`);
    ids.push(
      ...(
        await db.query<{ referral_id: string }>(
          'SELECT referral_id FROM rf_referrals WHERE receiver_org = $1 ORDER BY requested_at DESC, referral_id DESC',
          [RECEIVER],
        )
      ).map((r) => r.referral_id),
    );
  });

  afterAll(async () => h?.close());

  const get = async (query: string, organisationId = RECEIVER) =>
    http.inject({
      method: 'GET',
      url: `/v1/referrals?${query}`,
      headers: { authorization: `Bearer ${await issuer.sign({ organisationId, roles: ['referral_officer'] })}` },
    });

  it('walks the inbox page by page, newest first, each referral once, to a null cursor', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let query = 'box=inbox&limit=2';
    for (let i = 0; i < 10; i++) {
      const response = await get(query);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<{ items: { referralId: string }[]; nextCursor: string | null }>();
      seen.push(...page.items.map((r) => r.referralId));
      sizes.push(page.items.length);
      if (page.nextCursor === null) break;
      query = `box=inbox&limit=2&cursor=${page.nextCursor}`;
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(ids);
    // A referral that arrives meanwhile does not shift the pages already walked (keyset, not offset).
    const first = (await get('box=inbox&limit=2')).json<{ nextCursor: string }>();
    await insertReferral(db, RECEIVER, '2025-03-05T10:00:00.000Z');
    const second = (await get(`box=inbox&limit=2&cursor=${first.nextCursor}`)).json<{
      items: { referralId: string }[];
    }>();
    expect(second.items.map((r) => r.referralId)).toEqual(ids.slice(2, 4));
  });

  it('refuses a limit out of range and a cursor that is not one, with the failing field', async () => {
    for (const query of ['limit=0', `limit=${PAGE_SIZE.max + 1}`, 'cursor=not*base64', 'cursor=bm9wZQ']) {
      const response = await get(query);
      expect(response.statusCode, `${query}: ${response.body}`).toBe(400);
      expect(response.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toMatch(
        /^\/querystring\/(limit|cursor)$/,
      );
    }
    // An overdue cursor is not a box cursor.
    const token = Buffer.from(JSON.stringify(['overdue', '2025-01-01', randomUUID()])).toString('base64url');
    expect((await get(`box=inbox&cursor=${token}`)).statusCode).toBe(400);
  });

  it(`answers ${PAGE_SIZE.default} rows unless asked, and never more than ${PAGE_SIZE.max}`, async () => {
    await db.transaction(async (tx) => {
      for (let i = 0; i < PAGE_SIZE.max + 10; i++)
        await insertReferral(tx as SqlDatabase, BULK, new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString());
    });
    const byDefault = await get('', BULK);
    expect(byDefault.json<{ items: unknown[] }>().items).toHaveLength(PAGE_SIZE.default);
    expect((await get(`limit=${PAGE_SIZE.max}`, BULK)).json<{ items: unknown[] }>().items).toHaveLength(PAGE_SIZE.max);
    // The query itself clamps too, for callers inside the service.
    expect((await inbox(db, BULK, { limit: 10_000 })).items).toHaveLength(PAGE_SIZE.max);
  });
});
