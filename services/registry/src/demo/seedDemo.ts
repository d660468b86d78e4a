import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { apiClientHandlers } from '../application/apiClientHandlers.js';
import type { RegistryContext } from '../application/context.js';
import { organisationHandlers } from '../application/organisationHandlers.js';
import { peopleHandlers } from '../application/peopleHandlers.js';
import { serviceHandlers } from '../application/serviceHandlers.js';
import type { Actor } from '../domain/shared/actor.js';
import { organisationStreamId } from '../domain/organisation/organisation.js';
import { personStreamId } from '../domain/person/person.js';
import { apiClientStreamId } from '../domain/apiClient/apiClient.js';
import { serviceStreamId } from '../domain/service/service.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { ensureRegistryReadModels, projectPeople } from '../projections/registryProjections.js';
import { demoApplications } from './demoApplications.js';
import { DEMO_CLIENT_SECRET, DEMO_PASSWORD, demoNetwork, type DemoPerson } from './demoData.js';

export interface DemoCredential {
  email: string;
  password: string;
  roles: string[];
  organisation: string | null;
}

/** The demo goes only into a network without organisations (it would collide with real ones). */
export async function hasOrganisations(store: EventStore): Promise<boolean> {
  return (await store.listStreams({ prefix: organisationStreamId(''), limit: 1 })).length > 0;
}

const DEMO_API_CLIENT_ID = '7d1e0c52-9a43-5b6e-8f21-0d3c4b5a6978';

/**
 * Where the demo stands in this store: `empty` (seed it), `partial` (an earlier run was interrupted:
 * resume it, every step already done is skipped), `complete`, or `foreign` (a real network: leave it).
 */
export async function demoState(
  store: EventStore,
  seed?: number,
): Promise<'empty' | 'partial' | 'complete' | 'foreign'> {
  if ((await store.streamVersion(apiClientStreamId(DEMO_API_CLIENT_ID))) !== null) return 'complete';
  const network = demoNetwork(seed);
  const demoStarted =
    (await store.streamVersion(personStreamId(network.networkStaff[0]!.personId))) !== null ||
    (await store.streamVersion(organisationStreamId(network.organisations[0]!.organisationId))) !== null;
  if (demoStarted) return 'partial';
  return (await hasOrganisations(store)) ? 'foreign' : 'empty';
}

/**
 * Writes the demo network through the command handlers (so every rule applies and every event is
 * real). `credentials: 'sample'` sets passwords only for network staff and the first three
 * organisations (scrypt is deliberately slow); the others stay invited. Resumable: every step whose
 * result is already in the store (an interrupted earlier run) is skipped, so a restart finishes the
 * demo instead of failing on what exists.
 */
export async function seedDemo(
  ctx: RegistryContext,
  readModel: SqlDatabase,
  options: {
    seed?: number;
    credentials?: 'all' | 'sample';
    /**
     * Inside a running service the live projector owns the people read model: the seeder waits for it
     * to reach a log position instead of projecting itself (two writers of one checkpoint would race).
     */
    waitForPeople?: (position: number) => Promise<void>;
  } = {},
): Promise<{
  credentials: DemoCredential[];
  apiClient: { clientId: string; clientSecret: string };
  organisations: number;
  services: number;
}> {
  await ensureRegistryReadModels(readModel);
  const network = demoNetwork(options.seed);
  const organisations = organisationHandlers(ctx);
  const services = serviceHandlers(ctx);
  const people = peopleHandlers(ctx, readModel);
  const clients = apiClientHandlers(ctx);
  const bootstrap: Actor = { principalId: 'demo-bootstrap', roles: ['network_admin'] };
  const credentials: DemoCredential[] = [];
  const withPassword = (index: number) => (options.credentials ?? 'all') === 'all' || index < 3;

  const exists = async (streamId: string) => (await ctx.store.streamVersion(streamId)) !== null;
  const hasEvent = async (streamId: string, type: string) =>
    (await ctx.store.readStream(streamId)).some((e) => e.type === type);

  const onboard = async (p: DemoPerson, inviter: Actor, organisation: string | null, setPassword: boolean) => {
    if (!(await exists(personStreamId(p.personId))))
      await people.invite(inviter, p, { personId: p.personId, token: p.invitationToken });
    if (!setPassword) return;
    if ((await people.loadPerson(p.personId)).status !== 'active')
      await people.acceptInvitation(p.personId, p.invitationToken, DEMO_PASSWORD);
    credentials.push({ email: p.email, password: DEMO_PASSWORD, roles: [...p.roles, ...p.permissions], organisation });
  };

  for (const p of network.networkStaff) await onboard(p, bootstrap, null, true);
  const admin: Actor = { principalId: network.networkStaff[0]!.personId, roles: ['network_admin'] };
  // A network started without the demo already has its v1; the demo members accept whatever is current.
  const version = await organisations.ensureCodeOfConduct(
    admin,
    network.codeOfConduct.title,
    network.codeOfConduct.text,
  );

  let serviceCount = 0;
  for (const [index, org] of network.organisations.entries()) {
    const applicant: Actor = { principalId: `applicant-${org.organisationId}`, roles: [] };
    const orgStream = organisationStreamId(org.organisationId);
    if (!(await exists(orgStream)))
      await organisations.apply(applicant, org.profile, { organisationId: org.organisationId });
    if (!(await hasEvent(orgStream, 'OrganisationApproved')))
      await organisations.approve(admin, org.organisationId, {
        licenceNumber: org.licenceNumber,
        licenceValidUntil: '2030-12-31T23:59:59.000Z',
      });
    const [orgAdmin, ...staff] = org.people;
    await onboard(orgAdmin!, admin, org.profile.name, withPassword(index));
    const orgAdminActor: Actor = {
      principalId: orgAdmin!.personId,
      organisationId: org.organisationId,
      roles: ['org_admin'],
    };
    if (!(await hasEvent(orgStream, 'CodeOfConductAccepted')))
      await organisations.acceptCodeOfConduct(orgAdminActor, org.organisationId, version);
    for (const p of staff) await onboard(p, orgAdminActor, org.profile.name, withPassword(index));
    for (const s of org.services) {
      if (!(await exists(serviceStreamId(s.serviceId))))
        await services.register(orgAdminActor, org.organisationId, s.details, s.capacity, { serviceId: s.serviceId });
      serviceCount++;
    }
    // The people read model must know an org's members before the next org invites (e-mail uniqueness).
    if (options.waitForPeople) {
      const [last] = await ctx.store.readStream(personStreamId(org.people[org.people.length - 1]!.personId), {
        direction: 'backwards',
        maxCount: 1,
      });
      if (last) await options.waitForPeople(last.position);
    } else await projectPeople(ctx.store, readModel);
  }
  // Applications left pending: the network administrator's first screen has decisions to make.
  for (const application of demoApplications(options.seed)) {
    if (!(await exists(organisationStreamId(application.organisationId))))
      await organisations.apply(
        { principalId: `applicant-${application.organisationId}`, roles: [] },
        application.profile,
        { organisationId: application.organisationId },
      );
  }
  const first = network.organisations[0]!;
  const apiClient = await clients.create(
    { principalId: first.people[0]!.personId, organisationId: first.organisationId, roles: ['org_admin'] },
    first.organisationId,
    'Demo case-management system',
    ['directory:read', 'referrals:read', 'referrals:write'],
    { clientId: DEMO_API_CLIENT_ID, secret: DEMO_CLIENT_SECRET },
  );
  return { credentials, apiClient, organisations: network.organisations.length, services: serviceCount };
}
