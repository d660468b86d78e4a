import { NETWORK_AUDIENCES } from '@estia/infra/auth/tokenVerifier.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { organisationHandlers } from '../application/organisationHandlers.js';
import { tokenForPerson } from '../application/tokens.js';
import { NETWORK_ORGANISATION_ID } from '../auth/token.js';
import { demoNetwork } from '../demo/demoData.js';
import type { Role } from '../domain/shared/actor.js';
import { startRegistryTestApp, TEST_ISSUER, type RegistryTestApp } from './registryTestApp.js';

const network = demoNetwork();
const org = network.organisations[0]!;
const service = org.services[0]!;

describe('registry HTTP: bad input is a problem+json and writes nothing', () => {
  let t: RegistryTestApp;
  beforeAll(async () => {
    t = await startRegistryTestApp();
  });
  afterAll(async () => t?.close());

  const token = async (role: Role, organisationId = org.organisationId) =>
    (
      await tokenForPerson(
        { issuer: TEST_ISSUER, audiences: NETWORK_AUDIENCES, keyRing: () => t.ring },
        {
          principalId: `p-${role}`,
          organisationId: role === 'network_admin' ? NETWORK_ORGANISATION_ID : organisationId,
          roles: [role],
        },
      )
    ).accessToken;
  const logLength = async () => (await t.store.readAll({ after: 0 })).length;

  /** Sends the request and checks: the status, problem+json naming `pointer`, and an unchanged log. */
  const refused = async (
    request: { method: 'POST' | 'PUT'; url: string; payload?: unknown; role?: Role },
    status: number,
    pointer?: string,
  ) => {
    const before = await logLength();
    const response = await t.app.inject({
      method: request.method,
      url: request.url,
      ...(request.payload === undefined ? {} : { payload: request.payload as object }),
      headers: {
        ...(request.role ? { authorization: `Bearer ${await token(request.role)}` } : {}),
        'idempotency-key': randomUUID(),
      },
    });
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    if (pointer) expect(JSON.stringify(response.json().errors ?? []), response.body).toContain(pointer);
    expect(await logLength()).toBe(before);
  };
  const profile = (over: Record<string, unknown> = {}) => ({
    ...org.profile,
    legalIdentifier: `X-${randomUUID()}`,
    ...over,
  });

  it('malformed bodies, unknown fields and unknown enum values: 400 naming the field', async () => {
    await refused({ method: 'POST', url: '/v1/organisations', payload: { profile: 'nope' } }, 400, '/body/profile');
    await refused({ method: 'POST', url: '/v1/organisations', payload: { profile: profile(), extra: 1 } }, 400);
    await refused(
      { method: 'POST', url: '/v1/organisations', payload: { profile: profile({ kind: 'spaceship' }) } },
      400,
      '/body/profile/kind',
    );
    await refused(
      {
        method: 'PUT',
        url: `/v1/services/${service.serviceId}/capacity`,
        role: 'org_admin',
        payload: { available: 1, maximum: 5, intake: 'maybe' },
      },
      400,
      '/body/intake',
    );
    await refused(
      {
        method: 'PUT',
        url: `/v1/services/${service.serviceId}/capacity`,
        role: 'org_admin',
        payload: { available: '1', maximum: 5, intake: 'open' },
      },
      400,
      '/body/available',
    );
    await refused(
      {
        method: 'POST',
        url: '/v1/services',
        role: 'org_admin',
        payload: {
          organisationId: org.organisationId,
          details: { ...service.details, categoryId: 'spa' },
          capacity: service.capacity,
        },
      },
      400,
      '/body/details/categoryId',
    );
    await refused(
      {
        method: 'POST',
        url: '/v1/people',
        role: 'org_admin',
        payload: { organisationId: org.organisationId, email: 'a@b.org', displayName: 'X', roles: ['emperor'] },
      },
      400,
      '/body/roles/0',
    );
    await refused(
      {
        method: 'POST',
        url: '/v1/api-clients',
        role: 'org_admin',
        payload: { organisationId: org.organisationId, name: 'x', scopes: ['everything'] },
      },
      400,
      '/body/scopes/0',
    );
    await refused(
      { method: 'POST', url: `/v1/organisations/${org.organisationId}/suspend`, role: 'network_admin', payload: {} },
      400,
      '/body/reason',
    );
  });

  it('bad coordinates: 400 on the organisation, the service location and the directory query', async () => {
    await refused(
      {
        method: 'POST',
        url: '/v1/organisations',
        payload: { profile: profile({ coordinates: { latitude: 91, longitude: 23 } }) },
      },
      400,
      '/body/profile/coordinates/latitude',
    );
    const location = { ...service.details.locations[0]!, coordinates: { latitude: 37.9, longitude: 181 } };
    await refused(
      {
        method: 'PUT',
        url: `/v1/services/${service.serviceId}/details`,
        role: 'org_admin',
        payload: { details: { ...service.details, locations: [location] } },
      },
      400,
      '/body/details/locations/0/coordinates/longitude',
    );
    for (const url of [
      '/hsds/services?proximity=95,23',
      '/hsds/services?proximity=abc',
      '/hsds/service_at_locations?proximity=37,200,5',
    ]) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().errors[0].pointer).toBe('/querystring/proximity');
    }
  });

  it('duplicate legal identifier: 409, the second application writes nothing', async () => {
    const legalIdentifier = `DUP-${randomUUID()}`;
    const first = await t.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      payload: { profile: profile({ legalIdentifier }) },
    });
    expect(first.statusCode, first.body).toBe(201);
    // Same number typed differently is the same registration.
    await refused(
      {
        method: 'POST',
        url: '/v1/organisations',
        payload: { profile: profile({ legalIdentifier: legalIdentifier.toLowerCase() }) },
      },
      409,
      '/body/profile/legalIdentifier',
    );
  });

  it('illegal transitions: 409 and the stream version unchanged', async () => {
    const orgs = organisationHandlers(t.ctx);
    const admin = { principalId: 'admin', roles: ['network_admin' as const] };
    const { organisationId } = await orgs.apply({ principalId: 'applicant', roles: [] }, profile());
    await orgs.withdraw(admin, organisationId, 'changed their mind');
    const version = (await orgs.load(organisationId)).version;
    const licence = { licenceNumber: 'L-9', licenceValidUntil: '2031-01-01T00:00:00.000Z' };
    await refused(
      { method: 'POST', url: `/v1/organisations/${organisationId}/approve`, role: 'network_admin', payload: licence },
      409,
    );
    await refused({ method: 'POST', url: `/v1/organisations/${organisationId}/reinstate`, role: 'network_admin' }, 409);
    await refused(
      { method: 'POST', url: `/v1/organisations/${org.organisationId}/reinstate`, role: 'network_admin' },
      409,
    );
    await refused(
      {
        method: 'POST',
        url: `/v1/organisations/${org.organisationId}/code-of-conduct-acceptance`,
        role: 'org_admin',
        payload: { version: 99 },
      },
      422,
    );
    await refused(
      {
        method: 'PUT',
        url: `/v1/services/${service.serviceId}/capacity`,
        role: 'org_admin',
        payload: { available: 0, maximum: 5, intake: 'open' },
      },
      422,
    );
    await refused(
      {
        method: 'PUT',
        url: `/v1/organisations/${org.organisationId}/licence`,
        role: 'network_admin',
        payload: { ...licence, licenceValidUntil: '2001-01-01T00:00:00.000Z' },
      },
      400,
      'licenceValidUntil',
    );
    expect((await orgs.load(organisationId)).version).toBe(version);
  });
});
