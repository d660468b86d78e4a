import { randomUUID } from 'node:crypto';
import { hardeningSpecs } from '@estia/infra/testing/httpHardening.js';
import { afterAll, beforeAll, describe } from 'vitest';
import { carpenterJob } from '../testing/builders.js';
import { startMatchingHarness, type MatchingHarness } from '../testing/matchingHarness.js';

const EMPLOYER = randomUUID();

describe('matching: framework errors are problems, paging is bounded, texts are safe, headers are set', () => {
  let h: MatchingHarness;
  beforeAll(async () => {
    h = await startMatchingHarness();
  });
  afterAll(async () => h?.close());

  hardeningSpecs(
    () => ({
      inject: async (request) => {
        const r = await h.app.inject(request as never);
        return { statusCode: r.statusCode, headers: r.headers, body: r.body };
      },
      auth: async () => ({ authorization: `Bearer ${await h.token(EMPLOYER, ['org_admin'])}` }),
      write: {
        method: 'POST',
        url: '/v1/opportunities',
        body: (title) => ({ ...carpenterJob(), title }),
        pointer: '/body/title',
      },
      list: { url: '/v1/opportunities', parameter: 'limit', maximum: 100 },
      badUrl: '/v1/opportunities/%E0%A4%A',
      wrongMethod: { method: 'DELETE', url: '/v1/opportunities' },
      read: '/v1/opportunities',
    }),
    { write: true, list: true, badUrl: true },
  );
});
