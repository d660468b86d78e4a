import { AppError } from '@estia/infra/errors/appError.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { components } from '@estia/contracts/generated/openapi.registry.js';
import { currentScopes } from '../domain/apiClient/apiClient.js';
import { CODE_OF_CONDUCT_STREAM, type CodeOfConductPublished } from '../domain/codeOfConduct/codeOfConduct.js';
import type { OrganisationStatus } from '../domain/organisation/organisation.js';
import { hasRole, PERMISSIONS, type Actor, type Permission, type Role } from '../domain/shared/actor.js';
import { requireNetworkAdmin, requireOrganisationRole } from '../domain/shared/authorise.js';
import type { RegistryContext } from './context.js';
import { isIntegrationEvent } from './integrationEvents.js';
import { organisationHandlers } from './organisationHandlers.js';
import { serviceHandlers } from './serviceHandlers.js';

type Schemas = components['schemas'];
type Listed = Exclude<OrganisationStatus, 'none'>;

/**
 * The reads behind the org admin's and the network admin's screens. Who may read what is decided
 * here, like the commands: an org admin reads their own organisation, a network admin any.
 */
export const administrationQueries = (ctx: RegistryContext, db: SqlExecutor) => {
  const organisations = organisationHandlers(ctx);
  const services = serviceHandlers(ctx);
  const ownOrNetwork = (actor: Actor, organisationId: string, action: string, networkAdminMay = true) =>
    requireOrganisationRole(actor, organisationId, ['org_admin'], action, { networkAdminMay });

  const codeVersions = async (): Promise<CodeOfConductPublished['data'][]> =>
    (await ctx.store.readStream(CODE_OF_CONDUCT_STREAM))
      .filter((e) => !isIntegrationEvent(e))
      .map((e) => e.data as CodeOfConductPublished['data']);

  return {
    async listOrganisations(actor: Actor, status?: Listed): Promise<Schemas['OrganisationSummaryList']> {
      requireNetworkAdmin(actor, 'list the organisations');
      const rows = await db.query<{
        id: string;
        name: string;
        kind: Schemas['OrganisationKind'];
        region: string;
        country: string;
        legal_identifier: string;
        email: string;
        status: Listed;
        licence_valid_until: string | null;
        accepted_code_version: number | null;
        updated_at: string;
      }>(
        `SELECT id, name, kind, region, country, legal_identifier, email, status, licence_valid_until,
                accepted_code_version, updated_at
         FROM registry_organisations ${status ? 'WHERE status = $1' : ''} ORDER BY name, id`,
        status ? [status] : [],
      );
      return {
        items: rows.map((r) => ({
          organisationId: r.id,
          name: r.name,
          kind: r.kind,
          region: r.region,
          country: r.country,
          legalIdentifier: r.legal_identifier,
          email: r.email,
          status: r.status,
          licenceValidUntil: r.licence_valid_until,
          acceptedCodeVersion: r.accepted_code_version === null ? null : Number(r.accepted_code_version),
          updatedAt: r.updated_at,
        })),
      };
    },

    /** The record and its stream version (the ETag a profile edit sends back as If-Match). */
    async organisation(
      actor: Actor,
      organisationId: string,
    ): Promise<{ record: Schemas['OrganisationRecord']; version: number | null }> {
      ownOrNetwork(actor, organisationId, 'read the organisation');
      const [{ state, version }, currentCodeVersion] = await Promise.all([
        organisations.load(organisationId),
        organisations.currentCodeVersion(),
      ]);
      if (state.status === 'none' || !state.profile)
        throw new AppError('NOT_FOUND', `organisation ${organisationId} not found`);
      return {
        record: {
          organisationId,
          status: state.status,
          profile: state.profile as Schemas['OrganisationProfile'],
          licence: state.licence
            ? { licenceNumber: state.licence.number, licenceValidUntil: state.licence.validUntil }
            : null,
          acceptedCodeVersion: state.acceptedCodeVersion,
          currentCodeVersion,
        },
        version,
      };
    },

    async services(actor: Actor, organisationId: string): Promise<Schemas['ManagedServiceList']> {
      ownOrNetwork(actor, organisationId, 'list the services');
      const ids = await db.query<{ id: string }>(
        'SELECT id FROM registry_services WHERE organisation_id = $1 ORDER BY name, id',
        [organisationId],
      );
      const states = await Promise.all(ids.map(async ({ id }) => ({ id, state: await services.loadService(id) })));
      return {
        items: states.flatMap(({ id, state }) =>
          state.status === 'none' || !state.details || !state.capacity
            ? []
            : [
                {
                  serviceId: id,
                  organisationId,
                  status: state.status,
                  details: state.details as Schemas['ServiceDetails'],
                  capacity: state.capacity,
                },
              ],
        ),
      };
    },

    async people(actor: Actor, organisationId: string): Promise<Schemas['MemberList']> {
      ownOrNetwork(actor, organisationId, 'list the people');
      const rows = await db.query<{
        id: string;
        email: string;
        display_name: string;
        roles: string;
        status: 'invited' | 'active' | 'deactivated';
        updated_at: string;
      }>(
        `SELECT id, email, display_name, roles, status, updated_at FROM registry_people
         WHERE organisation_id = $1 ORDER BY display_name, id`,
        [organisationId],
      );
      const isPermission = (name: string): name is Permission => (PERMISSIONS as readonly string[]).includes(name);
      return {
        items: rows.map((r) => {
          const names = r.roles.split(' ').filter(Boolean);
          return {
            personId: r.id,
            displayName: r.display_name,
            email: r.email,
            roles: names.filter((n) => !isPermission(n)) as Role[],
            permissions: names.filter(isPermission),
            status: r.status,
            updatedAt: r.updated_at,
          };
        }),
      };
    },

    async apiClients(actor: Actor, organisationId: string): Promise<Schemas['ApiClientRecordList']> {
      ownOrNetwork(actor, organisationId, 'list the API clients', false);
      const rows = await db.query<{
        id: string;
        name: string;
        scopes: string;
        status: 'active' | 'revoked';
        created_at: string;
        secret_rotated_at: string | null;
        revoked_at: string | null;
      }>(
        `SELECT id, name, scopes, status, created_at, secret_rotated_at, revoked_at FROM registry_api_clients
         WHERE organisation_id = $1 ORDER BY created_at DESC, id`,
        [organisationId],
      );
      return {
        items: rows.map((r) => ({
          clientId: r.id,
          name: r.name,
          scopes: currentScopes(r.scopes.split(' ').filter(Boolean)),
          status: r.status,
          createdAt: r.created_at,
          secretRotatedAt: r.secret_rotated_at,
          revokedAt: r.revoked_at,
        })),
      };
    },

    async codeOfConductVersions(actor: Actor): Promise<Schemas['CodeOfConductVersionList']> {
      if (!hasRole(actor, 'network_admin') && !hasRole(actor, 'org_admin'))
        throw new AppError('FORBIDDEN', 'only org admins and network administrators may read the code of conduct');
      const [versions, counts] = await Promise.all([
        codeVersions(),
        db.query<{ version: number; n: number }>(
          'SELECT version, COUNT(*) AS n FROM registry_code_acceptances GROUP BY version',
        ),
      ]);
      const accepted = new Map(counts.map((c) => [Number(c.version), Number(c.n)]));
      return {
        items: versions.reverse().map((v) => {
          // Publishing may carry a grace period (days to accept before exchange stops); older versions have none.
          const grace = (v as { gracePeriodDays?: unknown }).gracePeriodDays;
          return {
            version: v.version,
            title: v.title,
            text: v.text,
            textSha256: v.textSha256,
            publishedAt: v.publishedAt,
            gracePeriodDays: typeof grace === 'number' ? grace : null,
            acceptedBy: accepted.get(v.version) ?? 0,
          };
        }),
      };
    },

    async codeOfConductAcceptances(actor: Actor, version: number): Promise<Schemas['CodeOfConductAcceptances']> {
      requireNetworkAdmin(actor, 'read who accepted the code of conduct');
      if (!(await codeVersions()).some((v) => v.version === version))
        throw new AppError('NOT_FOUND', `code of conduct version ${version} not found`);
      const [accepted, pending] = await Promise.all([
        db.query<{ organisation_id: string; name: string; accepted_at: string }>(
          `SELECT a.organisation_id, o.name, a.accepted_at FROM registry_code_acceptances a
           JOIN registry_organisations o ON o.id = a.organisation_id
           WHERE a.version = $1 ORDER BY a.accepted_at, o.name`,
          [version],
        ),
        db.query<{ id: string; name: string }>(
          `SELECT o.id, o.name FROM registry_organisations o WHERE o.status = 'approved' AND NOT EXISTS
             (SELECT 1 FROM registry_code_acceptances a WHERE a.organisation_id = o.id AND a.version = $1)
           ORDER BY o.name, o.id`,
          [version],
        ),
      ]);
      return {
        version,
        accepted: accepted.map((r) => ({ organisationId: r.organisation_id, name: r.name, acceptedAt: r.accepted_at })),
        pending: pending.map((r) => ({ organisationId: r.id, name: r.name })),
      };
    },
  };
};
