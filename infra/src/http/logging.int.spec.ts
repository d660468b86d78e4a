import { describe, expect, it } from 'vitest';
import { createTestIssuer } from '../auth/testIssuer.js';
import { createTokenVerifier } from '../auth/tokenVerifier.js';
import { captureLogs } from './captureLogs.js';
import { createHttpApp } from './createHttpApp.js';
import { createLogger } from './logger.js';

const PERSON = {
  names: { given: 'Amina', family: 'Haddad' },
  name: 'Amina Haddad',
  dateOfBirth: '1990-04-02',
  contact: { email: 'amina@example.org', phone: '+30 210 000 0000' },
  address: { street: 'Odos Ermou 12', city: 'Athina' },
  notes: 'fled in 2023; PTSD follow-up',
};
const SECRETS = ['Amina', 'Haddad', '1990-04-02', 'amina@example.org', '+30 210', 'Ermou', 'PTSD'];

describe('logging', () => {
  it('never logs bodies, query strings or the Authorization header of requests', async () => {
    const logs = captureLogs();
    const issuer = await createTestIssuer();
    const token = await issuer.sign();
    const app = await createHttpApp({
      service: 'kit-test',
      logger: createLogger({ service: 'kit-test', level: 'trace', destination: logs.destination }),
      auth: { verifier: createTokenVerifier(issuer.verifierOptions) },
      rateLimit: false,
    });
    app.post('/clients', async (_request, reply) => reply.code(201).send({ id: 'c-1' }));
    app.post(
      '/bad',
      { schema: { body: { type: 'object', properties: { dateOfBirth: { type: 'string', format: 'date' } } } } },
      async () => ({}),
    );
    await app.ready();
    await app.inject({
      method: 'POST',
      url: '/clients?name=Amina+Haddad',
      headers: { authorization: `Bearer ${token}` },
      payload: PERSON,
    });
    await app.inject({
      method: 'POST',
      url: '/bad',
      headers: { authorization: `Bearer ${token}` },
      payload: { dateOfBirth: 'Amina' },
    });
    await app.close();

    const text = logs.text();
    for (const secret of [...SECRETS, token]) expect(text).not.toContain(secret);
    const lines = logs.lines();
    const incoming = lines.find((line) => line.msg === 'incoming request');
    expect(incoming).toMatchObject({ service: 'kit-test', req: { method: 'POST', path: '/clients' } });
    expect(typeof incoming!.requestId).toBe('string');
    expect(
      lines.some((line) => line.msg === 'request completed' && (line.res as { statusCode: number }).statusCode === 201),
    ).toBe(true);
  });

  it('redacts personal fields from objects a handler logs by mistake, at any depth up to four', () => {
    const logs = captureLogs();
    const log = createLogger({ service: 'kit-test', destination: logs.destination });
    log.info(
      {
        client: PERSON,
        referral: { id: 'r-1', subject: { person: { email: 'amina@example.org' } } },
        headers: { authorization: 'Bearer abc.def.ghi' },
      },
      'oops',
    );
    log.info(PERSON, 'top level');
    const text = logs.text();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toContain('abc.def.ghi');
    const [first] = logs.lines();
    expect(first).toMatchObject({
      client: { name: '[redacted]', dateOfBirth: '[redacted]', contact: '[redacted]' },
      referral: { id: 'r-1' },
    });
  });
});
