import { ORGANISATION_KINDS } from '@estia/contracts';
import type { Decider, DomainEvent } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { Actor } from '../shared/actor.js';
import { requireNetworkAdmin, requireOrganisationRole } from '../shared/authorise.js';
import { isCountryCode } from '../shared/countries.js';
import { isRegionCode } from '../shared/regions.js';
import { validateCoordinates, type Coordinates } from '../shared/geo.js';
import { isAfter, isEmail, isUrl, Validation } from '../shared/validation.js';

// The kinds are part of the public contract (common.v1): one list for every service.
export { ORGANISATION_KINDS };
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export interface OrganisationProfile {
  name: string;
  kind: OrganisationKind;
  /** Tax / registry number in the organisation's country. */
  legalIdentifier: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Region code (NUTS where available, e.g. EL52). */
  region: string;
  address: { street: string; locality: string; postalCode: string };
  coordinates: Coordinates;
  contact: { email: string; phone?: string; website?: string };
  /** Reference of the registration with the data-protection authority (required to handle case data). */
  dataProtectionRegistration: string;
}

/**
 * What an organisation keeps up to date itself. Kind, legal identifier and country are who it is: the
 * network admin reviewed them on admission, so changing them is a new application, not an edit.
 */
export type OrganisationProfileChanges = Omit<OrganisationProfile, 'kind' | 'legalIdentifier' | 'country'>;

// ---- events -------------------------------------------------------------------------------------

export type OrganisationApplied = DomainEvent<
  'OrganisationApplied',
  { organisationId: string; profile: OrganisationProfile; appliedAt: string; appliedBy: string }
>;
export type OrganisationApproved = DomainEvent<
  'OrganisationApproved',
  { organisationId: string; licenceNumber: string; licenceValidUntil: string; approvedAt: string; approvedBy: string }
>;
export type OrganisationRejected = DomainEvent<
  'OrganisationRejected',
  { organisationId: string; reason: string; rejectedAt: string; rejectedBy: string }
>;
export type CodeOfConductAccepted = DomainEvent<
  'CodeOfConductAccepted',
  { organisationId: string; version: number; acceptedAt: string; acceptedBy: string }
>;
export type OrganisationSuspended = DomainEvent<
  'OrganisationSuspended',
  { organisationId: string; reason: string; suspendedAt: string; suspendedBy: string }
>;
export type OrganisationReinstated = DomainEvent<
  'OrganisationReinstated',
  { organisationId: string; reinstatedAt: string; reinstatedBy: string }
>;
export type LicenceRenewed = DomainEvent<
  'LicenceRenewed',
  { organisationId: string; licenceNumber: string; licenceValidUntil: string; renewedAt: string; renewedBy: string }
>;
export type OrganisationProfileUpdated = DomainEvent<
  'OrganisationProfileUpdated',
  { organisationId: string; profile: OrganisationProfile; updatedAt: string; updatedBy: string }
>;
export type OrganisationWithdrawn = DomainEvent<
  'OrganisationWithdrawn',
  { organisationId: string; reason: string | null; withdrawnAt: string; withdrawnBy: string }
>;

export type OrganisationEvent =
  | OrganisationApplied
  | OrganisationApproved
  | OrganisationRejected
  | CodeOfConductAccepted
  | OrganisationSuspended
  | OrganisationReinstated
  | LicenceRenewed
  | OrganisationProfileUpdated
  | OrganisationWithdrawn;

// ---- commands -----------------------------------------------------------------------------------

interface Base {
  organisationId: string;
  now: string;
  actor: Actor;
}
export type ApplyForMembership = Base & { type: 'ApplyForMembership'; profile: OrganisationProfile };
export type ApproveOrganisation = Base & {
  type: 'ApproveOrganisation';
  licenceNumber: string;
  licenceValidUntil: string;
};
export type RejectOrganisation = Base & { type: 'RejectOrganisation'; reason: string };
/** `currentVersion` is read by the handler from the code-of-conduct stream. */
export type AcceptCodeOfConduct = Base & {
  type: 'AcceptCodeOfConduct';
  version: number;
  currentVersion: number | null;
};
export type SuspendOrganisation = Base & { type: 'SuspendOrganisation'; reason: string };
export type ReinstateOrganisation = Base & { type: 'ReinstateOrganisation' };
export type RenewLicence = Base & { type: 'RenewLicence'; licenceNumber: string; licenceValidUntil: string };
export type WithdrawOrganisation = Base & { type: 'WithdrawOrganisation'; reason?: string };
export type UpdateOrganisationProfile = Base & {
  type: 'UpdateOrganisationProfile';
  changes: OrganisationProfileChanges;
};

export type OrganisationCommand =
  | ApplyForMembership
  | ApproveOrganisation
  | RejectOrganisation
  | AcceptCodeOfConduct
  | SuspendOrganisation
  | ReinstateOrganisation
  | RenewLicence
  | UpdateOrganisationProfile
  | WithdrawOrganisation;

// ---- state --------------------------------------------------------------------------------------

export type OrganisationStatus = 'none' | 'applied' | 'approved' | 'rejected' | 'suspended' | 'withdrawn';

export interface OrganisationState {
  status: OrganisationStatus;
  organisationId: string | null;
  profile: OrganisationProfile | null;
  licence: { number: string; validUntil: string } | null;
  acceptedCodeVersion: number | null;
}

export const initialOrganisationState = (): OrganisationState => ({
  status: 'none',
  organisationId: null,
  profile: null,
  licence: null,
  acceptedCodeVersion: null,
});

export const evolveOrganisation = (state: OrganisationState, event: OrganisationEvent): OrganisationState => {
  switch (event.type) {
    case 'OrganisationApplied':
      return { ...state, status: 'applied', organisationId: event.data.organisationId, profile: event.data.profile };
    case 'OrganisationApproved':
      return {
        ...state,
        status: 'approved',
        licence: { number: event.data.licenceNumber, validUntil: event.data.licenceValidUntil },
      };
    case 'LicenceRenewed':
      return { ...state, licence: { number: event.data.licenceNumber, validUntil: event.data.licenceValidUntil } };
    case 'OrganisationProfileUpdated':
      return { ...state, profile: event.data.profile };
    case 'OrganisationRejected':
      return { ...state, status: 'rejected' };
    case 'CodeOfConductAccepted':
      return { ...state, acceptedCodeVersion: event.data.version };
    case 'OrganisationSuspended':
      return { ...state, status: 'suspended' };
    case 'OrganisationReinstated':
      return { ...state, status: 'approved' };
    case 'OrganisationWithdrawn':
      return { ...state, status: 'withdrawn' };
  }
};

// ---- decide -------------------------------------------------------------------------------------

const refuse = (state: OrganisationState, action: string): never => {
  throw new AppError('ILLEGAL_TRANSITION', `cannot ${action} an organisation that is ${describe(state.status)}`, {
    extensions: { currentState: state.status },
  });
};
const describe = (status: OrganisationStatus): string => (status === 'none' ? 'not registered' : status);

const allow = (state: OrganisationState, allowed: readonly OrganisationStatus[], action: string): void => {
  if (!allowed.includes(state.status)) refuse(state, action);
};

export const validateProfile = (profile: OrganisationProfile | undefined): void => {
  const v = new Validation();
  if (!profile || typeof profile !== 'object') {
    v.fail('/profile', 'is required');
    v.throwIfInvalid('organisation profile');
    return;
  }
  v.text(profile.name, '/profile/name', { max: 200 });
  v.check(
    (ORGANISATION_KINDS as readonly string[]).includes(profile.kind),
    '/profile/kind',
    `must be one of ${ORGANISATION_KINDS.join(', ')}`,
  );
  v.text(profile.legalIdentifier, '/profile/legalIdentifier', { max: 64 });
  v.check(isCountryCode(profile.country), '/profile/country', 'must be an ISO 3166-1 alpha-2 code (e.g. GR)');
  v.check(isRegionCode(profile.region), '/profile/region', 'must be a region code (NUTS, e.g. EL30)');
  if (!profile.address || typeof profile.address !== 'object') v.fail('/profile/address', 'is required');
  else {
    v.text(profile.address.street, '/profile/address/street', { max: 200 });
    v.text(profile.address.locality, '/profile/address/locality', { max: 100 });
    v.text(profile.address.postalCode, '/profile/address/postalCode', { max: 20 });
  }
  validateCoordinates(v, profile.coordinates, '/profile/coordinates');
  if (!profile.contact || typeof profile.contact !== 'object') v.fail('/profile/contact', 'is required');
  else {
    v.check(isEmail(profile.contact.email), '/profile/contact/email', 'must be an e-mail address');
    if (profile.contact.phone !== undefined)
      v.check(/^\+?[0-9 ()-]{6,20}$/.test(profile.contact.phone), '/profile/contact/phone', 'must be a phone number');
    if (profile.contact.website !== undefined)
      v.check(isUrl(profile.contact.website), '/profile/contact/website', 'must be an http(s) URL');
  }
  v.text(profile.dataProtectionRegistration, '/profile/dataProtectionRegistration', { max: 100 });
  v.throwIfInvalid('organisation profile');
};

const sameProfile = (a: OrganisationProfile, b: OrganisationProfile): boolean =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
/** Keys in one order and absent optional contact fields as null, so equal profiles serialise alike. */
const canonical = (p: OrganisationProfile) => [
  p.name,
  p.kind,
  p.legalIdentifier,
  p.country,
  p.region,
  [p.address.street, p.address.locality, p.address.postalCode],
  [p.coordinates.latitude, p.coordinates.longitude],
  [p.contact.email, p.contact.phone ?? null, p.contact.website ?? null],
  p.dataProtectionRegistration,
];

const validateLicence = (licenceNumber: string, validUntil: string, now: string): void => {
  const v = new Validation();
  v.text(licenceNumber, '/licenceNumber', { max: 64 });
  if (v.timestamp(validUntil, '/licenceValidUntil'))
    v.check(isAfter(validUntil, now), '/licenceValidUntil', 'must be in the future');
  v.throwIfInvalid('licence');
};

const requireReason = (reason: string | undefined, action: string): string => {
  const v = new Validation();
  v.text(reason, '/reason', { max: 2000 });
  v.throwIfInvalid(`${action} needs a reason`);
  return (reason as string).trim();
};

export const decideOrganisation = (command: OrganisationCommand, state: OrganisationState): OrganisationEvent[] => {
  const { organisationId, now, actor } = command;
  const by = actor.principalId;
  switch (command.type) {
    case 'ApplyForMembership': {
      // Re-applying after a rejection is allowed: the amended application starts a new review.
      allow(state, ['none', 'rejected'], 'apply for membership of');
      validateProfile(command.profile);
      return [
        {
          type: 'OrganisationApplied',
          data: { organisationId, profile: command.profile, appliedAt: now, appliedBy: by },
        },
      ];
    }
    case 'ApproveOrganisation': {
      requireNetworkAdmin(actor, 'approve an organisation');
      allow(state, ['applied'], 'approve');
      validateLicence(command.licenceNumber, command.licenceValidUntil, now);
      return [
        {
          type: 'OrganisationApproved',
          data: {
            organisationId,
            licenceNumber: command.licenceNumber,
            licenceValidUntil: command.licenceValidUntil,
            approvedAt: now,
            approvedBy: by,
          },
        },
      ];
    }
    case 'RejectOrganisation': {
      requireNetworkAdmin(actor, 'reject an organisation');
      allow(state, ['applied'], 'reject');
      const reason = requireReason(command.reason, 'rejection');
      return [{ type: 'OrganisationRejected', data: { organisationId, reason, rejectedAt: now, rejectedBy: by } }];
    }
    case 'AcceptCodeOfConduct': {
      requireOrganisationRole(actor, organisationId, ['org_admin'], 'accept the code of conduct');
      allow(state, ['applied', 'approved', 'suspended'], 'accept the code of conduct for');
      if (command.currentVersion === null)
        throw new AppError('BUSINESS_RULE_VIOLATED', 'no code of conduct has been published yet');
      if (command.version !== command.currentVersion)
        throw new AppError(
          'BUSINESS_RULE_VIOLATED',
          `only the current code of conduct (version ${command.currentVersion}) can be accepted, not version ${command.version}`,
        );
      if (state.acceptedCodeVersion === command.version) return [];
      return [
        {
          type: 'CodeOfConductAccepted',
          data: { organisationId, version: command.version, acceptedAt: now, acceptedBy: by },
        },
      ];
    }
    case 'SuspendOrganisation': {
      requireNetworkAdmin(actor, 'suspend an organisation');
      allow(state, ['approved'], 'suspend');
      const reason = requireReason(command.reason, 'suspension');
      return [{ type: 'OrganisationSuspended', data: { organisationId, reason, suspendedAt: now, suspendedBy: by } }];
    }
    case 'ReinstateOrganisation': {
      requireNetworkAdmin(actor, 'reinstate an organisation');
      allow(state, ['suspended'], 'reinstate');
      return [{ type: 'OrganisationReinstated', data: { organisationId, reinstatedAt: now, reinstatedBy: by } }];
    }
    case 'RenewLicence': {
      requireNetworkAdmin(actor, 'renew a licence');
      allow(state, ['approved', 'suspended'], 'renew the licence of');
      validateLicence(command.licenceNumber, command.licenceValidUntil, now);
      return [
        {
          type: 'LicenceRenewed',
          data: {
            organisationId,
            licenceNumber: command.licenceNumber,
            licenceValidUntil: command.licenceValidUntil,
            renewedAt: now,
            renewedBy: by,
          },
        },
      ];
    }
    case 'UpdateOrganisationProfile': {
      requireOrganisationRole(actor, organisationId, ['org_admin'], 'update the organisation profile', {
        networkAdminMay: true,
      });
      allow(state, ['applied', 'approved', 'suspended'], 'update the profile of');
      const current = state.profile!;
      const { name, region, address, coordinates, contact, dataProtectionRegistration } = command.changes ?? {};
      const profile: OrganisationProfile = {
        name,
        kind: current.kind,
        legalIdentifier: current.legalIdentifier,
        country: current.country,
        region,
        address,
        coordinates,
        contact,
        dataProtectionRegistration,
      } as OrganisationProfile;
      validateProfile(profile);
      // Saving the form unchanged is no change: nothing to tell the network.
      if (sameProfile(current, profile)) return [];
      return [{ type: 'OrganisationProfileUpdated', data: { organisationId, profile, updatedAt: now, updatedBy: by } }];
    }
    case 'WithdrawOrganisation': {
      requireOrganisationRole(actor, organisationId, ['org_admin'], 'withdraw the organisation', {
        networkAdminMay: true,
      });
      allow(state, ['applied', 'approved', 'suspended'], 'withdraw');
      const reason = command.reason?.trim() ? command.reason.trim() : null;
      return [{ type: 'OrganisationWithdrawn', data: { organisationId, reason, withdrawnAt: now, withdrawnBy: by } }];
    }
  }
};

export const organisationDecider: Decider<OrganisationState, OrganisationCommand, OrganisationEvent> = {
  initialState: initialOrganisationState,
  decide: decideOrganisation,
  evolve: evolveOrganisation,
};

export const organisationStreamId = (organisationId: string): string => `registry-organisation-${organisationId}`;
