import type { Decider } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { consentCovers, type Consent, type ConsentRecipient } from '../consent/consent.js';
import { actedBy, requireRole, type Actor } from '../shared/actor.js';
import type { Opaque, Reason } from '../shared/personal.js';
import { Problems, isInstant, isReasonCode, REQUIRED } from '../shared/validation.js';
import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  CONSENT_SCOPES,
  SERVICE_CATEGORIES,
  isOneOf,
  type ConsentMethod,
  type ConsentPurpose,
  type ConsentScope,
} from '../shared/vocabulary.js';
import { checkLegalStatus, checkPersonalData, type ClientPersonalData, type LegalStatusRecord } from './clientData.js';

/** Stream of one client: identity, legal status, consents, erasure. */
export const clientStreamId = (clientId: string): string => `client-${clientId}`;

interface Base {
  clientId: string;
  now: string;
  actor: Actor;
}

export interface DuplicateCandidate {
  clientId: string;
  score: number;
}

export type ClientCommand =
  | (Base & {
      type: 'RegisterClient';
      /** From the registry read model: only approved member organisations register clients. */
      organisation: { approved: boolean };
      /** What duplicate detection found, and the officer's decision to register a new client anyway. */
      duplicateReview: DuplicateReview;
      personal: ClientPersonalData;
    })
  | (Base & { type: 'CorrectPersonalData'; personal: Partial<Omit<ClientPersonalData, 'legalStatus'>> })
  | (Base & { type: 'ChangeLegalStatus'; personal: { legalStatus: LegalStatusRecord } })
  | (Base & {
      type: 'GiveConsent';
      consentId: string;
      purpose: ConsentPurpose;
      recipient: ConsentRecipient;
      scope: ConsentScope[];
      method: ConsentMethod;
      expiresAt: string | null;
    })
  | (Base & {
      type: 'WithdrawConsent';
      consentId: string;
      reason?: Reason;
      /** Pre-computed: the actor's organisation holds an accepted referral for this client (it may record the withdrawal too). */
      actorHoldsAcceptedReferral?: boolean;
    })
  | (Base & {
      type: 'EraseClient';
      /** Why (a code: the note would be erased with the key). Required. */
      reason: { code: string } | undefined;
      /**
       * Pre-computed: the other organisations that held or worked the case (access granted, referrals);
       * they are told of the erasure (GDPR art. 19) and are the only others who learn it happened.
       */
      otherHolders: readonly string[];
    });

export interface DuplicateReview {
  /** Likely duplicates within the officer's own caseload: these are named. */
  candidates: DuplicateCandidate[];
  /**
   * A likely duplicate held by another organisation: only this hint (no id, no data, no score) and an
   * opaque, short-lived token bound to the officer, with which they may ask the holder for access.
   */
  network: { token: string; expiresAt: string } | null;
  confirmedNew: boolean;
}

type By = { organisationId: string; userId: string };

export type ClientEvent =
  | {
      type: 'ClientRegistered';
      data: {
        clientId: string;
        registeredBy: By;
        registeredAt: string;
        /** `knownInNetwork`: the officer registered a new client although another organisation may hold them. */
        duplicateReview: { candidates: DuplicateCandidate[]; knownInNetwork: boolean };
        personal: ClientPersonalData;
      };
    }
  | {
      type: 'ClientPersonalDataCorrected';
      /** `fields` names what changed (not the values), so audits can see what was corrected after erasure. */
      data: {
        clientId: string;
        correctedBy: By;
        correctedAt: string;
        fields: string[];
        personal: Partial<ClientPersonalData>;
      };
    }
  | {
      type: 'LegalStatusChanged';
      data: { clientId: string; changedBy: By; changedAt: string; personal: { legalStatus: LegalStatusRecord } };
    }
  | { type: 'ConsentGiven'; data: Omit<Consent, 'withdrawnAt'> }
  | {
      type: 'ConsentWithdrawn';
      data: {
        clientId: string;
        consentId: string;
        /** Copied from the consent, so consumers (matching) know what stopped without a lookup. */
        purpose: ConsentPurpose;
        recipient: ConsentRecipient;
        withdrawnAt: string;
        recordedBy: By;
        reasonCode?: string;
        personal?: { reasonNote: string };
      };
    }
  | {
      type: 'ClientErased';
      data: {
        clientId: string;
        erasedAt: string;
        erasedBy: By;
        reasonCode: string;
        /** The other organisations that held or worked the case, told of the erasure. */
        notifiedOrganisationIds: string[];
      };
    }
  | {
      /**
       * The client's candidate profile is (again) due to the matching service under a job_matching
       * consent. Carries no personal data: the relay opens the sealed data as of this event and
       * publishes only the fields the consent's scope lists (nothing once the key is destroyed).
       */
      type: 'CandidateProfileShared';
      data: {
        clientId: string;
        consentId: string;
        scope: ConsentScope[];
        trigger: 'consent_given' | 'legal_status_changed' | 'personal_data_corrected';
        sharedAt: string;
      };
    };

/** What matching cannot work without (the contract requires these parts of the profile). */
export const JOB_MATCHING_REQUIRED_SCOPE: readonly ConsentScope[] = ['legal_status', 'location', 'availability'];
/** Corrections to these fields change what matching knows, so the profile is shared again. */
const MATCHING_FIELDS = ['languages', 'location', 'employment'];

const reshare = (
  state: Extract<ClientState, { status: 'active' }>,
  now: string,
  trigger: 'legal_status_changed' | 'personal_data_corrected',
): ClientEvent[] => {
  const consent = consentCovers(state.consents, 'job_matching', {}, now);
  if (!consent) return [];
  return [
    {
      type: 'CandidateProfileShared',
      data: {
        clientId: state.clientId,
        consentId: consent.consentId,
        scope: [...consent.scope],
        trigger,
        sharedAt: now,
      },
    },
  ];
};

export type ClientState =
  | { status: 'none' }
  | { status: 'active'; clientId: string; organisations: string[]; consents: Consent[] }
  | { status: 'erased'; clientId: string; erasedAt: string; consents: Consent[] };

const notFound = (clientId: string): AppError => new AppError('NOT_FOUND', `client ${clientId} is not registered`);

const requireActive = (state: ClientState, clientId: string): Extract<ClientState, { status: 'active' }> => {
  if (state.status === 'none') throw notFound(clientId);
  if (state.status === 'erased') throw new AppError('GONE', `client ${clientId} was erased at ${state.erasedAt}`);
  return state;
};

const requireRegisteringOrganisation = (state: Extract<ClientState, { status: 'active' }>, actor: Actor): void => {
  if (!state.organisations.includes(actor.organisationId))
    throw new AppError('FORBIDDEN', `organisation ${actor.organisationId} did not register client ${state.clientId}`);
};

const requireApproved = (organisation: { approved: boolean }, actor: Actor): void => {
  if (!organisation.approved)
    throw new AppError('FORBIDDEN', `organisation ${actor.organisationId} is not an approved member of the network`);
};

function decide(command: ClientCommand, state: ClientState): ClientEvent[] {
  const { clientId, now, actor } = command;
  switch (command.type) {
    case 'RegisterClient': {
      requireRole(actor, 'referral_officer', 'registering a client');
      requireApproved(command.organisation, actor);
      if (state.status !== 'none') throw new AppError('CONFLICT', `client ${clientId} is already registered`);
      const problems = new Problems();
      checkPersonalData(problems, command.personal, now.slice(0, 10));
      for (const field of ['givenNames', 'familyName', 'dateOfBirth', 'nationalities', 'languages'] as const)
        if (!(field in command.personal)) problems.add(`/personal/${field}`, 'is required', REQUIRED);
      problems.throwIfAny('client data is not valid');
      const { candidates, network, confirmedNew } = command.duplicateReview;
      if (candidates.length > 0 && !confirmedNew)
        throw new AppError(
          'BUSINESS_RULE_VIOLATED',
          `${candidates.length} likely duplicate(s) in your caseload: open the existing client or confirm a new one`,
          { extensions: { rule: 'likely_duplicates', candidates } },
        );
      // Across organisations one bit only: "may already be known", and a way to ask the holder.
      if (network !== null && !confirmedNew)
        throw new AppError(
          'BUSINESS_RULE_VIOLATED',
          'this person may already be known in the network: request access from the organisation holding the case, or confirm a new client',
          { extensions: { rule: 'possibly_known_in_network', accessRequest: { ...network } } },
        );
      return [
        {
          type: 'ClientRegistered',
          data: {
            clientId,
            registeredBy: actedBy(actor),
            registeredAt: now,
            duplicateReview: { candidates, knownInNetwork: network !== null },
            personal: command.personal,
          },
        },
      ];
    }

    case 'CorrectPersonalData': {
      requireRole(actor, 'referral_officer', 'correcting client data');
      const active = requireActive(state, clientId);
      requireRegisteringOrganisation(active, actor);
      const fields = Object.keys(command.personal).filter(
        (k) => command.personal[k as keyof typeof command.personal] !== undefined,
      );
      const problems = new Problems();
      if (fields.length === 0) problems.add('/personal', 'names no field to correct');
      if ('legalStatus' in command.personal) problems.add('/personal/legalStatus', 'is changed with ChangeLegalStatus');
      checkPersonalData(problems, command.personal, now.slice(0, 10));
      problems.throwIfAny('correction is not valid');
      return [
        {
          type: 'ClientPersonalDataCorrected',
          data: {
            clientId,
            correctedBy: actedBy(actor),
            correctedAt: now,
            fields: fields.sort(),
            personal: command.personal,
          },
        },
        ...(fields.some((f) => MATCHING_FIELDS.includes(f)) ? reshare(active, now, 'personal_data_corrected') : []),
      ];
    }

    case 'ChangeLegalStatus': {
      requireRole(actor, 'referral_officer', 'changing a legal status');
      const active = requireActive(state, clientId);
      requireRegisteringOrganisation(active, actor);
      const problems = new Problems();
      checkLegalStatus(problems, command.personal.legalStatus, '/personal/legalStatus');
      problems.throwIfAny('legal status is not valid');
      return [
        {
          type: 'LegalStatusChanged',
          data: { clientId, changedBy: actedBy(actor), changedAt: now, personal: command.personal },
        },
        ...reshare(active, now, 'legal_status_changed'),
      ];
    }

    case 'GiveConsent': {
      requireRole(actor, 'referral_officer', 'recording consent');
      const active = requireActive(state, clientId);
      requireRegisteringOrganisation(active, actor);
      if (active.consents.some((c) => c.consentId === command.consentId))
        throw new AppError('CONFLICT', `consent ${command.consentId} already exists`);
      const problems = new Problems()
        .check(isOneOf(CONSENT_PURPOSES, command.purpose), '/purpose', `must be one of ${CONSENT_PURPOSES.join(', ')}`)
        .check(isOneOf(CONSENT_METHODS, command.method), '/method', `must be one of ${CONSENT_METHODS.join(', ')}`)
        .check(
          Array.isArray(command.scope) && command.scope.length > 0,
          '/scope',
          'must name at least one kind of data',
        );
      (command.scope ?? []).forEach((s, i) =>
        problems.check(isOneOf(CONSENT_SCOPES, s), `/scope/${i}`, `must be one of ${CONSENT_SCOPES.join(', ')}`),
      );
      const { organisationId, serviceCategory } = command.recipient ?? {};
      if (serviceCategory !== undefined)
        problems.check(
          isOneOf(SERVICE_CATEGORIES, serviceCategory),
          '/recipient/serviceCategory',
          'is not a known category',
        );
      // Sharing with "anyone" is not consent: referrals and employer sharing must name a recipient.
      if (command.purpose !== 'job_matching')
        problems.check(
          organisationId !== undefined || serviceCategory !== undefined,
          '/recipient',
          'must name an organisation or a service category',
        );
      else
        problems.check(
          JOB_MATCHING_REQUIRED_SCOPE.every((needed) => (command.scope ?? []).includes(needed)),
          '/scope',
          `must include ${JOB_MATCHING_REQUIRED_SCOPE.join(', ')} for job matching`,
        );
      if (command.expiresAt !== null) {
        if (!isInstant(command.expiresAt)) problems.add('/expiresAt', 'must be a date-time or null');
        else problems.check(Date.parse(command.expiresAt) > Date.parse(now), '/expiresAt', 'must be in the future');
      }
      problems.throwIfAny('consent is not valid');
      const recipient: ConsentRecipient = {
        ...(organisationId === undefined ? {} : { organisationId }),
        ...(serviceCategory === undefined ? {} : { serviceCategory }),
      };
      return [
        {
          type: 'ConsentGiven',
          data: {
            consentId: command.consentId,
            clientId,
            purpose: command.purpose,
            recipient,
            scope: [...new Set(command.scope)],
            method: command.method,
            recordedBy: actedBy(actor),
            givenAt: now,
            // One instant format everywhere: read models compare these as strings.
            expiresAt: command.expiresAt === null ? null : new Date(command.expiresAt).toISOString(),
          },
        },
        ...(command.purpose === 'job_matching'
          ? [
              {
                type: 'CandidateProfileShared' as const,
                data: {
                  clientId,
                  consentId: command.consentId,
                  scope: [...new Set(command.scope)],
                  trigger: 'consent_given' as const,
                  sharedAt: now,
                },
              },
            ]
          : []),
      ];
    }

    case 'WithdrawConsent': {
      requireRole(actor, 'referral_officer', 'recording a consent withdrawal');
      const active = requireActive(state, clientId);
      if (!command.actorHoldsAcceptedReferral) requireRegisteringOrganisation(active, actor);
      const consent = active.consents.find((c) => c.consentId === command.consentId);
      if (!consent)
        throw new AppError('NOT_FOUND', `consent ${command.consentId} does not exist for client ${clientId}`);
      if (consent.withdrawnAt !== null) return [];
      if (command.reason !== undefined && !isReasonCode(command.reason.code))
        new Problems().add('/reason/code', 'must be a reason code (a-z, 0-9, _)').throwIfAny('withdrawal is not valid');
      return [
        {
          type: 'ConsentWithdrawn',
          data: {
            clientId,
            consentId: command.consentId,
            purpose: consent.purpose,
            recipient: consent.recipient,
            withdrawnAt: now,
            recordedBy: actedBy(actor),
            ...(command.reason === undefined ? {} : { reasonCode: command.reason.code }),
            ...(command.reason?.note === undefined ? {} : { personal: { reasonNote: command.reason.note } }),
          },
        },
      ];
    }

    case 'EraseClient': {
      // The holder's data protection officer acts on the client's request; administrators do not.
      requireRole(actor, 'data_protection_officer', 'erasing a client');
      const code = command.reason?.code;
      if (code === undefined)
        throw new AppError('BUSINESS_RULE_VIOLATED', 'erasure needs a reason', {
          errors: [{ pointer: '/body/reason', detail: 'is required (a reason code, e.g. data_subject_request)' }],
          extensions: { rule: 'reason_required' },
        });
      if (!isReasonCode(code))
        new Problems().add('/reason/code', 'must be a reason code (a-z, 0-9, _)').throwIfAny('erasure is not valid');
      if (state.status === 'erased') return [];
      // Only an organisation the client registered with acts on their request (network admins do not read cases).
      const active = requireActive(state, clientId);
      requireRegisteringOrganisation(active, actor);
      const notified = [...new Set(command.otherHolders)].filter((o) => o !== actor.organisationId).sort();
      return [
        {
          type: 'ClientErased',
          data: {
            clientId,
            erasedAt: now,
            erasedBy: actedBy(actor),
            reasonCode: code,
            notifiedOrganisationIds: notified,
          },
        },
      ];
    }
  }
}

/** Typed over Opaque events: it cannot read `personal`, so the state never holds personal data. */
export function evolveClient(state: ClientState, event: Opaque<ClientEvent>): ClientState {
  switch (event.type) {
    case 'ClientRegistered':
      return {
        status: 'active',
        clientId: event.data.clientId,
        organisations: [event.data.registeredBy.organisationId],
        consents: [],
      };
    case 'ClientPersonalDataCorrected':
    case 'LegalStatusChanged':
    case 'CandidateProfileShared':
      return state;
    case 'ConsentGiven':
      if (state.status !== 'active') return state;
      return { ...state, consents: [...state.consents, { ...event.data, withdrawnAt: null }] };
    case 'ConsentWithdrawn':
      if (state.status !== 'active') return state;
      return {
        ...state,
        consents: state.consents.map((c) =>
          c.consentId === event.data.consentId ? { ...c, withdrawnAt: event.data.withdrawnAt } : c,
        ),
      };
    case 'ClientErased':
      if (state.status === 'none') return state;
      return { status: 'erased', clientId: state.clientId, erasedAt: event.data.erasedAt, consents: state.consents };
    default:
      // Events of earlier versions fold to nothing: ClientRegistrationLinked (another organisation
      // "linked" by submitting matching data) grants no access any more; that takes an access request.
      return state;
  }
}

export const clientDecider: Decider<ClientState, ClientCommand, ClientEvent> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve: evolveClient,
};
