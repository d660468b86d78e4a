import { NETWORK_AUDIENCES } from '@estia/infra/auth/tokenVerifier.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { organisationHandlers } from '../application/organisationHandlers.js';
import { peopleHandlers } from '../application/peopleHandlers.js';
import { serviceHandlers } from '../application/serviceHandlers.js';
import { apiClientHandlers } from '../application/apiClientHandlers.js';
import { tokenForPerson } from '../application/tokens.js';
import { NETWORK_ORGANISATION_ID } from '../auth/token.js';
import { demoNetwork } from '../demo/demoData.js';
import type { Actor, Role } from '../domain/shared/actor.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { webhookSubscriptionsProjection } from '../webhooks/subscriptionProjection.js';
import { loadSubscription } from '../webhooks/webhookQueries.js';
import { deliveryIdOf } from '../webhooks/fanOut.js';
import { tableCoverage } from '@estia/infra/testing/securityTable.js';
import { startRegistryTestApp, TEST_ISSUER, type RegistryTestApp } from './registryTestApp.js';

const ROLES: readonly Role[] = ['org_admin', 'referral_officer', 'job_coach', 'network_admin', 'auditor', 'funder'];
const NETWORK_ROLES: readonly Role[] = ['network_admin', 'auditor', 'funder'];
const ADMIN: Actor = { principalId: 'test-network-admin', roles: ['network_admin'] };
const network = demoNetwork();
const template = network.organisations[0]!;

interface Request {
  url: string;
  payload?: unknown;
  /** The organisation the organisation roles act for (the one the request is about). */
  organisationId: string;
}
type Fixture = (t: RegistryTestApp) => Promise<Request>;
type Row = { public: true } | { allowed: readonly Role[]; fixture: Fixture };

// ---- fixtures: fresh state per request, so an allowed change never spoils the next row -----------

const orgAdmin = (organisationId: string): Actor => ({
  principalId: `admin-${organisationId}`,
  organisationId,
  roles: ['org_admin'],
});
const appliedOrg = async (t: RegistryTestApp) =>
  (
    await organisationHandlers(t.ctx).apply(
      { principalId: 'applicant', roles: [] },
      { ...template.profile, legalIdentifier: `T-${randomUUID()}` },
    )
  ).organisationId;
const approvedOrg = async (t: RegistryTestApp) => {
  const id = await appliedOrg(t);
  const orgs = organisationHandlers(t.ctx);
  await orgs.approve(ADMIN, id, { licenceNumber: 'L-1', licenceValidUntil: '2030-01-01T00:00:00.000Z' });
  return id;
};
const freshService = async (t: RegistryTestApp) => {
  const organisationId = await approvedOrg(t);
  const s = template.services[0]!;
  const { serviceId } = await serviceHandlers(t.ctx).register(
    orgAdmin(organisationId),
    organisationId,
    s.details,
    s.capacity,
  );
  return { organisationId, serviceId };
};
const freshPerson = async (t: RegistryTestApp) => {
  const organisationId = await approvedOrg(t);
  const { personId } = await peopleHandlers(t.ctx, t.db).invite(orgAdmin(organisationId), {
    organisationId,
    email: `p-${randomUUID()}@example.org`,
    displayName: 'Test Person',
    roles: ['referral_officer'],
  });
  return { organisationId, personId };
};
const freshClient = async (t: RegistryTestApp) => {
  const organisationId = await approvedOrg(t);
  const { clientId } = await apiClientHandlers(t.ctx).create(orgAdmin(organisationId), organisationId, 'Test CMS', [
    'directory:read',
  ]);
  return { organisationId, clientId };
};
const freshSubscription = async (t: RegistryTestApp) => {
  const organisationId = await approvedOrg(t);
  const { subscriptionId } = await t.webhooks.create(orgAdmin(organisationId), {
    url: 'http://127.0.0.1:9/hooks',
    events: ['*'],
  });
  await catchUpProjections(t.store, t.db, [webhookSubscriptionsProjection]);
  return { organisationId, subscriptionId };
};
const webhookRow = (
  path: (id: string) => string,
  options: { payload?: unknown; prepare?: (t: RegistryTestApp, id: string) => Promise<void> } = {},
): Row => ({
  allowed: ['org_admin'],
  fixture: async (t) => {
    const { organisationId, subscriptionId } = await freshSubscription(t);
    await options.prepare?.(t, subscriptionId);
    return {
      url: path(subscriptionId),
      organisationId,
      ...(options.payload === undefined ? {} : { payload: options.payload }),
    };
  },
});
const licence = { licenceNumber: 'L-2', licenceValidUntil: '2031-01-01T00:00:00.000Z' };

/**
 * Who may call what: every registered route must have a row (a new route without one fails), and
 * every row must name a registered route. Organisation roles act for the organisation concerned;
 * network roles act for the network. Auditors read, never change.
 */
const TABLE: Record<string, Row> = {
  'GET /health': { public: true },
  'GET /ready': { public: true },
  'GET /metrics': { public: true },
  'GET /hsds/': { public: true },
  'GET /hsds/services': { public: true },
  'GET /hsds/services/:id': { public: true },
  'GET /hsds/organizations': { public: true },
  'GET /hsds/organizations/:id': { public: true },
  'GET /hsds/taxonomies': { public: true },
  'GET /hsds/taxonomies/:id': { public: true },
  'GET /hsds/taxonomy_terms': { public: true },
  'GET /hsds/taxonomy_terms/:id': { public: true },
  'GET /hsds/service_at_locations': { public: true },
  'GET /hsds/service_at_locations/:id': { public: true },
  'GET /.well-known/jwks.json': { public: true },
  'POST /oauth/token': { public: true },
  'POST /auth/sign-in': { public: true },
  'POST /auth/refresh': { public: true },
  'POST /v1/organisations': { public: true },
  'POST /v1/people/:id/accept-invitation': { public: true },
  'GET /v1/organisations/:id/exchange-status': {
    // Funders read the network's figures only: no directory.
    allowed: ROLES.filter((role) => role !== 'funder'),
    fixture: async () => ({
      url: `/v1/organisations/${template.organisationId}/exchange-status`,
      organisationId: template.organisationId,
    }),
  },
  'POST /v1/organisations/:id/approve': {
    allowed: ['network_admin'],
    fixture: async (t) => {
      const id = await appliedOrg(t);
      return { url: `/v1/organisations/${id}/approve`, payload: licence, organisationId: id };
    },
  },
  'POST /v1/organisations/:id/reject': {
    allowed: ['network_admin'],
    fixture: async (t) => {
      const id = await appliedOrg(t);
      return { url: `/v1/organisations/${id}/reject`, payload: { reason: 'incomplete' }, organisationId: id };
    },
  },
  'POST /v1/organisations/:id/suspend': {
    allowed: ['network_admin'],
    fixture: async (t) => {
      const id = await approvedOrg(t);
      return { url: `/v1/organisations/${id}/suspend`, payload: { reason: 'audit' }, organisationId: id };
    },
  },
  'POST /v1/organisations/:id/reinstate': {
    allowed: ['network_admin'],
    fixture: async (t) => {
      const id = await approvedOrg(t);
      await organisationHandlers(t.ctx).suspend(ADMIN, id, 'audit');
      return { url: `/v1/organisations/${id}/reinstate`, organisationId: id };
    },
  },
  'POST /v1/organisations/:id/withdraw': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async (t) => {
      const id = await approvedOrg(t);
      return { url: `/v1/organisations/${id}/withdraw`, payload: {}, organisationId: id };
    },
  },
  'PUT /v1/organisations/:id/licence': {
    allowed: ['network_admin'],
    fixture: async (t) => {
      const id = await approvedOrg(t);
      return { url: `/v1/organisations/${id}/licence`, payload: licence, organisationId: id };
    },
  },
  'PUT /v1/organisations/:id/profile': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async (t) => {
      const id = await approvedOrg(t);
      const { kind: _kind, legalIdentifier: _id, country: _country, ...own } = template.profile;
      return {
        url: `/v1/organisations/${id}/profile`,
        payload: { profile: { ...own, name: `${own.name} (renamed)` } },
        organisationId: id,
      };
    },
  },
  'POST /v1/organisations/:id/code-of-conduct-acceptance': {
    allowed: ['org_admin'],
    fixture: async (t) => {
      const id = await approvedOrg(t);
      const version = await organisationHandlers(t.ctx).currentCodeVersion();
      return { url: `/v1/organisations/${id}/code-of-conduct-acceptance`, payload: { version }, organisationId: id };
    },
  },
  'POST /v1/code-of-conduct': {
    allowed: ['network_admin'],
    fixture: async () => ({
      url: '/v1/code-of-conduct',
      payload: { title: 'Code', text: `Version ${randomUUID()}` },
      organisationId: template.organisationId,
    }),
  },
  'GET /v1/organisations': {
    allowed: ['network_admin'],
    fixture: async (t) => ({ url: '/v1/organisations?status=applied', organisationId: await appliedOrg(t) }),
  },
  'GET /v1/organisations/:id': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async (t) => {
      const id = await approvedOrg(t);
      return { url: `/v1/organisations/${id}`, organisationId: id };
    },
  },
  'GET /v1/organisations/:id/services': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async (t) => {
      const { organisationId } = await freshService(t);
      return { url: `/v1/organisations/${organisationId}/services`, organisationId };
    },
  },
  'GET /v1/organisations/:id/people': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async (t) => {
      const { organisationId } = await freshPerson(t);
      return { url: `/v1/organisations/${organisationId}/people`, organisationId };
    },
  },
  'GET /v1/organisations/:id/api-clients': {
    allowed: ['org_admin'],
    fixture: async (t) => {
      const { organisationId } = await freshClient(t);
      return { url: `/v1/organisations/${organisationId}/api-clients`, organisationId };
    },
  },
  'GET /v1/code-of-conduct': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async () => ({ url: '/v1/code-of-conduct', organisationId: template.organisationId }),
  },
  'GET /v1/code-of-conduct/:version/acceptances': {
    allowed: ['network_admin'],
    fixture: async (t) => ({
      url: `/v1/code-of-conduct/${await organisationHandlers(t.ctx).currentCodeVersion()}/acceptances`,
      organisationId: template.organisationId,
    }),
  },
  'POST /v1/services': {
    allowed: ['org_admin'],
    fixture: async (t) => {
      const organisationId = await approvedOrg(t);
      const s = template.services[0]!;
      return {
        url: '/v1/services',
        payload: { organisationId, details: s.details, capacity: s.capacity },
        organisationId,
      };
    },
  },
  'PUT /v1/services/:id/details': {
    allowed: ['org_admin'],
    fixture: async (t) => {
      const { organisationId, serviceId } = await freshService(t);
      const details = { ...template.services[0]!.details, name: 'Renamed service' };
      return { url: `/v1/services/${serviceId}/details`, payload: { details }, organisationId };
    },
  },
  'PUT /v1/services/:id/capacity': {
    allowed: ['org_admin', 'referral_officer'],
    fixture: async (t) => {
      const { organisationId, serviceId } = await freshService(t);
      return {
        url: `/v1/services/${serviceId}/capacity`,
        payload: { available: 1, maximum: 10, intake: 'open' },
        organisationId,
      };
    },
  },
  'POST /v1/services/:id/withdraw': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async (t) => {
      const { organisationId, serviceId } = await freshService(t);
      return { url: `/v1/services/${serviceId}/withdraw`, payload: {}, organisationId };
    },
  },
  'POST /v1/people': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async (t) => {
      const organisationId = await approvedOrg(t);
      return {
        url: '/v1/people',
        payload: { organisationId, email: `n-${randomUUID()}@example.org`, displayName: 'New', roles: ['job_coach'] },
        organisationId,
      };
    },
  },
  'PUT /v1/people/:id/roles': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async (t) => {
      const { organisationId, personId } = await freshPerson(t);
      return { url: `/v1/people/${personId}/roles`, payload: { roles: ['job_coach'] }, organisationId };
    },
  },
  'POST /v1/people/:id/deactivate': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async (t) => {
      const { organisationId, personId } = await freshPerson(t);
      return { url: `/v1/people/${personId}/deactivate`, payload: {}, organisationId };
    },
  },
  'POST /v1/api-clients': {
    allowed: ['org_admin'],
    fixture: async (t) => {
      const organisationId = await approvedOrg(t);
      return {
        url: '/v1/api-clients',
        payload: { organisationId, name: 'CMS', scopes: ['directory:read'] },
        organisationId,
      };
    },
  },
  'POST /v1/api-clients/:id/rotate': {
    allowed: ['org_admin'],
    fixture: async (t) => {
      const { organisationId, clientId } = await freshClient(t);
      return { url: `/v1/api-clients/${clientId}/rotate`, organisationId };
    },
  },
  'POST /v1/api-clients/:id/revoke': {
    allowed: ['org_admin', 'network_admin'],
    fixture: async (t) => {
      const { organisationId, clientId } = await freshClient(t);
      return { url: `/v1/api-clients/${clientId}/revoke`, payload: {}, organisationId };
    },
  },
  'POST /v1/webhooks': {
    allowed: ['org_admin'],
    fixture: async (t) => ({
      url: '/v1/webhooks',
      payload: { url: 'http://127.0.0.1:9/hooks', events: ['*'] },
      organisationId: await approvedOrg(t),
    }),
  },
  'GET /v1/webhooks': {
    allowed: ['org_admin'],
    fixture: async (t) => ({ url: '/v1/webhooks', organisationId: await approvedOrg(t) }),
  },
  'GET /v1/me/notification-preferences': {
    allowed: ROLES,
    fixture: async () => ({ url: '/v1/me/notification-preferences', organisationId: template.organisationId }),
  },
  'PUT /v1/me/notification-preferences': {
    allowed: ROLES,
    fixture: async () => ({
      url: '/v1/me/notification-preferences',
      payload: { language: 'el', kinds: { 'referral-accepted': 'off' } },
      organisationId: template.organisationId,
    }),
  },
  'GET /v1/webhooks/:id': webhookRow((id) => `/v1/webhooks/${id}`),
  'PATCH /v1/webhooks/:id': webhookRow((id) => `/v1/webhooks/${id}`, { payload: { description: 'renamed' } }),
  'DELETE /v1/webhooks/:id': webhookRow((id) => `/v1/webhooks/${id}`),
  'POST /v1/webhooks/:id/pause': webhookRow((id) => `/v1/webhooks/${id}/pause`),
  'POST /v1/webhooks/:id/resume': webhookRow((id) => `/v1/webhooks/${id}/resume`, {
    prepare: async (t, id) => {
      await t.webhooks.pause(
        { principalId: 'x', organisationId: (await loadSubscription(t.db, id))!.organisationId, roles: ['org_admin'] },
        id,
      );
    },
  }),
  'POST /v1/webhooks/:id/rotate-secret': webhookRow((id) => `/v1/webhooks/${id}/rotate-secret`, { payload: {} }),
  'GET /v1/webhooks/:id/deliveries': webhookRow((id) => `/v1/webhooks/${id}/deliveries`),
  'POST /v1/webhooks/:id/deliveries/:deliveryId/redeliver': webhookRow(
    (id) => `/v1/webhooks/${id}/deliveries/${deliveryIdOf(id, 'event-1')}/redeliver`,
    {
      prepare: async (t, id) => {
        await t.db.execute(
          `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, status, attempts, next_attempt_at,
             claimed_until, claim_token, manual, created_at, enqueued_at_ms)
           VALUES ($1, $2, 'event-1', 'estia.registry.service.updated.v1', 'failed', 8, NULL, NULL, NULL, 0, $3, 0)`,
          [deliveryIdOf(id, 'event-1'), id, new Date().toISOString()],
        );
      },
    },
  ),
};

const DOCS = /^\/(openapi\.json|docs)/;
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe('registry authorisation: every route × role', () => {
  let t: RegistryTestApp;
  beforeAll(async () => {
    t = await startRegistryTestApp();
  });
  afterAll(async () => t?.close());

  const tokenFor = async (role: Role, organisationId: string) =>
    (
      await tokenForPerson(
        { issuer: TEST_ISSUER, audiences: NETWORK_AUDIENCES, keyRing: () => t.ring },
        {
          principalId: `person-${role}`,
          organisationId: NETWORK_ROLES.includes(role) ? NETWORK_ORGANISATION_ID : organisationId,
          roles: [role],
        },
      )
    ).accessToken;

  it('every operation of the OpenAPI document has a row (and every row an operation); public means public', () => {
    expect(tableCoverage('registry', TABLE)).toEqual({ missing: [], unknown: [], publicMismatch: [] });
    const registered = t.routes.filter((r) => !DOCS.test(r.url) && r.url !== '/health' && r.url !== '/ready');
    for (const route of registered) {
      const row = TABLE[key(route)] ?? TABLE[`${key(route)}/`];
      expect(row, key(route)).toBeDefined();
      expect(route.public, key(route)).toBe('public' in row!);
    }
  });

  const open = Object.keys(TABLE).filter((route) => 'public' in TABLE[route]!);
  it.each(open)('%s is public: answered without a token', async (route) => {
    const [method, url] = route.split(' ') as ['GET' | 'POST', string];
    const answer = await t.app.inject({
      method,
      url: url.replace(/:\w+/g, randomUUID()),
      ...(method === 'POST' ? { payload: {} } : {}),
    });
    expect([401, 403], answer.body).not.toContain(answer.statusCode);
  });

  const guarded = Object.entries(TABLE).filter(
    (e): e is [string, Exclude<Row, { public: true }>] => !('public' in e[1]),
  );
  it.each(guarded)('%s: 401 without a token, 2xx for the allowed roles, 403 for the others', async (route, row) => {
    const method = route.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    const inject = async (request: Request, token?: string) =>
      t.app.inject({
        method,
        url: request.url,
        ...(request.payload === undefined ? {} : { payload: request.payload as object }),
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
        },
      });
    const anonymous = await inject(await row.fixture(t));
    expect(anonymous.statusCode, anonymous.body).toBe(401);
    for (const role of ROLES) {
      const request = await row.fixture(t);
      const before = await t.store.readAll({ after: 0 }).then((e) => e.length);
      const response = await inject(request, await tokenFor(role, request.organisationId));
      if (row.allowed.includes(role)) {
        expect(response.statusCode, `${role}: ${response.body}`).toBeGreaterThanOrEqual(200);
        expect(response.statusCode, `${role}: ${response.body}`).toBeLessThan(300);
      } else {
        expect(response.statusCode, `${role}: ${response.body}`).toBe(403);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        // A refusal writes nothing.
        expect(await t.store.readAll({ after: 0 }).then((e) => e.length)).toBe(before);
      }
    }
  });
});
