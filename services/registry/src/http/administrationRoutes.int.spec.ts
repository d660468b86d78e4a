import { NETWORK_AUDIENCES } from '@estia/infra/auth/tokenVerifier.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '@estia/contracts/generated/openapi.registry.js';
import { apiClientHandlers } from '../application/apiClientHandlers.js';
import { organisationHandlers } from '../application/organisationHandlers.js';
import { serviceHandlers } from '../application/serviceHandlers.js';
import { tokenForPerson } from '../application/tokens.js';
import { NETWORK_ORGANISATION_ID } from '../auth/token.js';
import { demoApplications } from '../demo/demoApplications.js';
import { demoNetwork } from '../demo/demoData.js';
import type { Actor, Role } from '../domain/shared/actor.js';
import { catchUpRegistryReadModels } from '../projections/registryProjections.js';
import { startRegistryTestApp, TEST_ISSUER, type RegistryTestApp } from './registryTestApp.js';

type Schemas = components['schemas'];
const network = demoNetwork();
const [first, second] = network.organisations;
const ADMIN: Actor = { principalId: 'test-network-admin', roles: ['network_admin'] };

describe('the administration reads', () => {
  let t: RegistryTestApp;
  beforeAll(async () => {
    t = await startRegistryTestApp();
  });
  afterAll(async () => t?.close());

  const get = async <T>(url: string, role: Role, organisationId = first!.organisationId) => {
    const { accessToken } = await tokenForPerson(
      { issuer: TEST_ISSUER, audiences: NETWORK_AUDIENCES, keyRing: () => t.ring },
      {
        principalId: `person-${role}`,
        organisationId: role === 'network_admin' ? NETWORK_ORGANISATION_ID : organisationId,
        roles: [role],
      },
    );
    const response = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${accessToken}` } });
    return { status: response.statusCode, body: response.json() as T };
  };

  it('lists the demo membership applications as pending, with their profile', async () => {
    const { status, body } = await get<Schemas['OrganisationSummaryList']>(
      '/v1/organisations?status=applied',
      'network_admin',
    );
    expect(status).toBe(200);
    const expected = demoApplications().map((a) => a.organisationId);
    expect(body.items.map((o) => o.organisationId).sort()).toEqual([...expected].sort());
    expect(body.items.every((o) => o.status === 'applied' && o.licenceValidUntil === null)).toBe(true);

    const all = await get<Schemas['OrganisationSummaryList']>('/v1/organisations', 'network_admin');
    expect(all.body.items).toHaveLength(network.organisations.length + expected.length);
    const member = all.body.items.find((o) => o.organisationId === first!.organisationId)!;
    expect(member).toMatchObject({ status: 'approved', licenceValidUntil: '2030-12-31T23:59:59.000Z' });
  });

  it('answers an organisation to its own admin and to the network admin, never to another organisation', async () => {
    const own = await get<Schemas['OrganisationRecord']>(`/v1/organisations/${first!.organisationId}`, 'org_admin');
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      status: 'approved',
      profile: { name: first!.profile.name, legalIdentifier: first!.profile.legalIdentifier },
      licence: { licenceNumber: first!.licenceNumber },
      acceptedCodeVersion: own.body.currentCodeVersion,
    });
    const other = await get(`/v1/organisations/${first!.organisationId}`, 'org_admin', second!.organisationId);
    expect(other.status).toBe(403);
    for (const path of ['services', 'people', 'api-clients'])
      expect(
        (await get(`/v1/organisations/${first!.organisationId}/${path}`, 'org_admin', second!.organisationId)).status,
      ).toBe(403);
    expect((await get('/v1/organisations/no-such-organisation', 'network_admin')).status).toBe(404);
  });

  it("lists the organisation's services with details and capacity, withdrawn ones included", async () => {
    const withdrawn = first!.services[0]!;
    await serviceHandlers(t.ctx).withdraw(ADMIN, withdrawn.serviceId, 'closed for the summer');
    await catchUpRegistryReadModels(t.store, t.db);
    const { body } = await get<Schemas['ManagedServiceList']>(
      `/v1/organisations/${first!.organisationId}/services`,
      'org_admin',
    );
    expect(body.items.map((s) => s.serviceId).sort()).toEqual(first!.services.map((s) => s.serviceId).sort());
    const listed = body.items.find((s) => s.serviceId === withdrawn.serviceId)!;
    expect(listed.status).toBe('withdrawn');
    expect(listed.details.locations[0]!.schedule).toEqual(withdrawn.details.locations[0]!.schedule);
    expect(listed.capacity).toEqual(withdrawn.capacity);
  });

  it("lists the organisation's people with roles and permissions apart", async () => {
    const { body } = await get<Schemas['MemberList']>(`/v1/organisations/${first!.organisationId}/people`, 'org_admin');
    expect(body.items.map((p) => p.personId).sort()).toEqual(first!.people.map((p) => p.personId).sort());
    for (const p of first!.people) {
      const listed = body.items.find((m) => m.personId === p.personId)!;
      expect(listed).toMatchObject({ email: p.email, roles: p.roles, permissions: p.permissions });
    }
  });

  it('lists API clients without secrets, with rotation and revocation', async () => {
    const orgAdmin: Actor = { principalId: 'a', organisationId: second!.organisationId, roles: ['org_admin'] };
    const clients = apiClientHandlers(t.ctx);
    const created = await clients.create(orgAdmin, second!.organisationId, 'Case system', ['directory:read']);
    await clients.rotate(orgAdmin, created.clientId);
    const revoked = await clients.create(orgAdmin, second!.organisationId, 'Old system', ['referrals:read']);
    await clients.revoke(orgAdmin, revoked.clientId, 'replaced');
    await catchUpRegistryReadModels(t.store, t.db);
    const response = await get<Schemas['ApiClientRecordList']>(
      `/v1/organisations/${second!.organisationId}/api-clients`,
      'org_admin',
      second!.organisationId,
    );
    expect(JSON.stringify(response.body)).not.toContain(created.clientSecret);
    const byId = new Map(response.body.items.map((c) => [c.clientId, c]));
    expect(byId.get(created.clientId)).toMatchObject({ status: 'active', scopes: ['directory:read'] });
    expect(byId.get(created.clientId)!.secretRotatedAt).not.toBeNull();
    expect(byId.get(revoked.clientId)).toMatchObject({ status: 'revoked', secretRotatedAt: null });
    expect(byId.get(revoked.clientId)!.revokedAt).not.toBeNull();
  });

  it('lists code-of-conduct versions with how many accepted, and who has not yet', async () => {
    const orgs = organisationHandlers(t.ctx);
    const { version } = await orgs.publishCodeOfConduct(ADMIN, 'Code of conduct', 'Second edition, with a new rule.');
    const orgAdmin: Actor = { principalId: 'a', organisationId: first!.organisationId, roles: ['org_admin'] };
    await orgs.acceptCodeOfConduct(orgAdmin, first!.organisationId, version!);
    await catchUpRegistryReadModels(t.store, t.db);

    const versions = await get<Schemas['CodeOfConductVersionList']>('/v1/code-of-conduct', 'org_admin');
    expect(versions.body.items.map((v) => v.version)).toEqual([version, version! - 1]);
    expect(versions.body.items[0]).toMatchObject({ acceptedBy: 1, text: 'Second edition, with a new rule.' });
    expect(versions.body.items[1]!.acceptedBy).toBe(network.organisations.length);

    const acceptances = await get<Schemas['CodeOfConductAcceptances']>(
      `/v1/code-of-conduct/${version}/acceptances`,
      'network_admin',
    );
    expect(acceptances.body.accepted.map((a) => a.organisationId)).toEqual([first!.organisationId]);
    expect(acceptances.body.pending).toHaveLength(network.organisations.length - 1);
    expect(acceptances.body.pending.map((p) => p.organisationId)).not.toContain(first!.organisationId);
    expect((await get(`/v1/code-of-conduct/${version! + 5}/acceptances`, 'network_admin')).status).toBe(404);
  });
});
