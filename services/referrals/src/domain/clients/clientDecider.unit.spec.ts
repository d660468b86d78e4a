import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../shared/actor.js';
import type { ClientPersonalData } from './clientData.js';
import { clientDecider, type ClientCommand, type ClientEvent } from './clientDecider.js';

const spec = DeciderSpecification.for(clientDecider);
const now = '2025-06-01T10:00:00.000Z';
const clientId = '0b5f6c1e-0000-4000-8000-000000000001';
const officer: Actor = { organisationId: 'org-a', userId: 'u-1', roles: ['referral_officer'] };
const otherOfficer: Actor = { organisationId: 'org-b', userId: 'u-2', roles: ['referral_officer'] };
const dpo: Actor = { organisationId: 'org-a', userId: 'u-9', roles: ['data_protection_officer'] };

const personal: ClientPersonalData = {
  givenNames: 'Amira',
  familyName: 'Haddad',
  dateOfBirth: '1990-05-04',
  nationalities: ['SY'],
  languages: [
    { language: 'ar', level: 'C2', native: true },
    { language: 'el', level: 'A2' },
  ],
  legalStatus: { status: 'asylum_seeker', applicationDate: '2025-02-01', mustLeaveReceptionBy: '2025-12-31' },
};

const register = (over: Partial<Extract<ClientCommand, { type: 'RegisterClient' }>> = {}): ClientCommand => ({
  type: 'RegisterClient',
  clientId,
  now,
  actor: officer,
  organisation: { approved: true },
  duplicateReview: { candidates: [], network: null, confirmedNew: true },
  personal,
  ...over,
});

const registered: ClientEvent = {
  type: 'ClientRegistered',
  data: {
    clientId,
    registeredBy: { organisationId: 'org-a', userId: 'u-1' },
    registeredAt: now,
    duplicateReview: { candidates: [], knownInNetwork: false },
    personal,
  },
};

const giveConsent: ClientCommand = {
  type: 'GiveConsent',
  clientId,
  now,
  actor: officer,
  consentId: 'consent-1',
  purpose: 'referral',
  recipient: { serviceCategory: 'housing' },
  scope: ['needs', 'languages'],
  method: 'written',
  expiresAt: '2026-06-01T00:00:00.000Z',
};
const consentGiven: ClientEvent = {
  type: 'ConsentGiven',
  data: {
    consentId: 'consent-1',
    clientId,
    purpose: 'referral',
    recipient: { serviceCategory: 'housing' },
    scope: ['needs', 'languages'],
    method: 'written',
    recordedBy: { organisationId: 'org-a', userId: 'u-1' },
    givenAt: now,
    expiresAt: '2026-06-01T00:00:00.000Z',
  },
};
const erased: ClientEvent = {
  type: 'ClientErased',
  data: {
    clientId,
    erasedAt: now,
    erasedBy: { organisationId: 'org-a', userId: 'u-9' },
    reasonCode: 'data_subject_request',
    notifiedOrganisationIds: ['org-b', 'org-c'],
  },
};

describe('client decider', () => {
  describe('registration', () => {
    it('registers a client, the personal data under `personal` only', () =>
      spec.given([]).when(register()).then([registered]));

    it('refuses an organisation that is not an approved member', () =>
      spec
        .given([])
        .when(register({ organisation: { approved: false } }))
        .thenThrows('FORBIDDEN', /approved/));

    it('refuses a user without the referral_officer role', () =>
      spec
        .given([])
        .when(register({ actor: { ...officer, roles: ['auditor'] } }))
        .thenThrows('FORBIDDEN', /referral_officer/));

    it('refuses to register twice', () => spec.given([registered]).when(register()).thenThrows('CONFLICT'));

    it('names every invalid field', () => {
      const bad = {
        ...personal,
        givenNames: ' ',
        dateOfBirth: '2030-01-01',
        nationalities: ['XX'],
        languages: [{ language: 'Arabic', level: 'D1' }],
        legalStatus: { status: 'tourist', applicationDate: '2025-03-01', decisionDate: '2025-01-01' },
      } as unknown as ClientPersonalData;
      try {
        clientDecider.decide(register({ personal: bad }), clientDecider.initialState());
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect((error as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual([
          '/body/personal/givenNames',
          '/body/personal/dateOfBirth',
          '/body/personal/nationalities/0',
          '/body/personal/languages/0/language',
          '/body/personal/languages/0/level',
          '/body/personal/legalStatus/status',
          '/body/personal/legalStatus/decisionDate',
        ]);
      }
    });

    it('names likely duplicates of the own caseload, and asks the officer to confirm a new client', () => {
      const candidates = [{ clientId: 'other', score: 0.93 }];
      spec
        .given([])
        .when(register({ duplicateReview: { candidates, network: null, confirmedNew: false } }))
        .thenThrows('BUSINESS_RULE_VIOLATED', /likely duplicate/);
      spec
        .given([])
        .when(register({ duplicateReview: { candidates, network: null, confirmedNew: true } }))
        .then([
          { ...registered, data: { ...registered.data, duplicateReview: { candidates, knownInNetwork: false } } },
        ]);
    });

    it('says only "may already be known" of another organisation\'s client, with a token to ask for access', () => {
      const network = { token: 'opaque', expiresAt: '2025-06-01T10:15:00.000Z' };
      try {
        clientDecider.decide(
          register({ duplicateReview: { candidates: [], network, confirmedNew: false } }),
          clientDecider.initialState(),
        );
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({
          code: 'BUSINESS_RULE_VIOLATED',
          extensions: { rule: 'possibly_known_in_network', accessRequest: network },
        });
        expect(JSON.stringify(error)).not.toMatch(/clientId|score/);
      }
      spec
        .given([])
        .when(register({ duplicateReview: { candidates: [], network, confirmedNew: true } }))
        .then([
          { ...registered, data: { ...registered.data, duplicateReview: { candidates: [], knownInNetwork: true } } },
        ]);
    });

    it('folds a link recorded by an earlier version to nothing: it grants no access', () =>
      spec
        .given([
          registered,
          {
            type: 'ClientRegistrationLinked',
            data: { clientId, linkedBy: { organisationId: 'org-b', userId: 'u-2' }, linkedAt: now, score: 0.9 },
          } as never,
        ])
        .when({ type: 'CorrectPersonalData', clientId, now, actor: otherOfficer, personal: { familyName: 'X' } })
        .thenThrows('FORBIDDEN', /did not register/));
  });

  describe('personal data and legal status', () => {
    it('records a correction with the names of the corrected fields', () =>
      spec
        .given([registered])
        .when({ type: 'CorrectPersonalData', clientId, now, actor: officer, personal: { familyName: 'Al-Haddad' } })
        .then([
          {
            type: 'ClientPersonalDataCorrected',
            data: {
              clientId,
              correctedBy: { organisationId: 'org-a', userId: 'u-1' },
              correctedAt: now,
              fields: ['familyName'],
              personal: { familyName: 'Al-Haddad' },
            },
          },
        ]));

    it('lets only a registering organisation correct data', () =>
      spec
        .given([registered])
        .when({ type: 'CorrectPersonalData', clientId, now, actor: otherOfficer, personal: { familyName: 'X' } })
        .thenThrows('FORBIDDEN', /did not register/));

    it('records a legal status change over time, with its dates checked', () => {
      const legalStatus = {
        status: 'refugee' as const,
        applicationDate: '2025-02-01',
        decisionDate: '2025-05-20',
        residencePermit: { validFrom: '2025-05-20', validUntil: '2028-05-19' },
        workPermit: { validFrom: '2025-05-20', validUntil: '2028-05-19' },
      };
      spec
        .given([registered])
        .when({ type: 'ChangeLegalStatus', clientId, now, actor: officer, personal: { legalStatus } })
        .then([
          {
            type: 'LegalStatusChanged',
            data: {
              clientId,
              changedBy: { organisationId: 'org-a', userId: 'u-1' },
              changedAt: now,
              personal: { legalStatus },
            },
          },
        ]);
      spec
        .given([registered])
        .when({
          type: 'ChangeLegalStatus',
          clientId,
          now,
          actor: officer,
          personal: {
            legalStatus: { ...legalStatus, workPermit: { validFrom: '2028-01-01', validUntil: '2026-01-01' } },
          },
        })
        .thenThrows('VALIDATION_FAILED', /workPermit\/validUntil/);
    });
  });

  describe('consent', () => {
    it('records consent as data', () => spec.given([registered]).when(giveConsent).then([consentGiven]));

    it('stores the expiry in UTC whatever offset it was given in', () =>
      spec
        .given([registered])
        .when({ ...giveConsent, expiresAt: '2026-06-01T02:00:00+02:00' })
        .thenEvents(([event]) => expect(event?.data).toMatchObject({ expiresAt: '2026-06-01T00:00:00.000Z' })));

    it('refuses a referral consent that names no recipient, an unknown scope, or a past expiry', () => {
      spec
        .given([registered])
        .when({ ...giveConsent, recipient: {} })
        .thenThrows('VALIDATION_FAILED', /\/recipient/);
      spec
        .given([registered])
        .when({ ...giveConsent, scope: ['everything'] } as unknown as ClientCommand)
        .thenThrows('VALIDATION_FAILED', /\/scope\/0/);
      spec
        .given([registered])
        .when({ ...giveConsent, expiresAt: '2025-01-01T00:00:00.000Z' })
        .thenThrows('VALIDATION_FAILED', /expiresAt/);
    });

    it('withdraws at once, idempotently, with the free-text reason kept personal', () => {
      const withdraw: ClientCommand = {
        type: 'WithdrawConsent',
        clientId,
        now: '2025-07-01T08:00:00.000Z',
        actor: officer,
        consentId: 'consent-1',
        reason: { code: 'client_request', note: 'said so on the phone' },
      };
      const withdrawn: ClientEvent = {
        type: 'ConsentWithdrawn',
        data: {
          clientId,
          consentId: 'consent-1',
          purpose: 'referral',
          recipient: { serviceCategory: 'housing' },
          withdrawnAt: '2025-07-01T08:00:00.000Z',
          recordedBy: { organisationId: 'org-a', userId: 'u-1' },
          reasonCode: 'client_request',
          personal: { reasonNote: 'said so on the phone' },
        },
      };
      spec.given([registered, consentGiven]).when(withdraw).then([withdrawn]);
      spec.given([registered, consentGiven, withdrawn]).when(withdraw).thenNothing();
      spec
        .given([registered])
        .when(withdraw)
        .thenThrows('NOT_FOUND', /consent-1/);
    });

    it('lets an organisation holding an accepted referral record a withdrawal, not others', () => {
      const withdraw: ClientCommand = {
        type: 'WithdrawConsent',
        clientId,
        now,
        actor: otherOfficer,
        consentId: 'consent-1',
      };
      spec.given([registered, consentGiven]).when(withdraw).thenThrows('FORBIDDEN');
      spec
        .given([registered, consentGiven])
        .when({ ...withdraw, actorHoldsAcceptedReferral: true })
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['ConsentWithdrawn']));
    });

    it('keeps consents in the state, withdrawn ones with their withdrawal time', () => {
      const state = [registered, consentGiven].reduce(clientDecider.evolve, clientDecider.initialState());
      expect(state).toMatchObject({ status: 'active', consents: [{ consentId: 'consent-1', withdrawnAt: null }] });
      expect(JSON.stringify(state)).not.toContain('Amira');
    });
  });

  describe('job matching', () => {
    const later = '2025-07-01T08:00:00.000Z';
    const matchingConsent: ClientCommand = {
      ...giveConsent,
      consentId: 'consent-jm',
      purpose: 'job_matching',
      recipient: {},
      scope: ['legal_status', 'location', 'availability', 'languages'],
      expiresAt: null,
    };
    const matchingGiven: ClientEvent = {
      type: 'ConsentGiven',
      data: {
        consentId: 'consent-jm',
        clientId,
        purpose: 'job_matching',
        recipient: {},
        scope: ['legal_status', 'location', 'availability', 'languages'],
        method: 'written',
        recordedBy: { organisationId: 'org-a', userId: 'u-1' },
        givenAt: now,
        expiresAt: null,
      },
    };
    const shared = (trigger: string, at = now): ClientEvent =>
      ({
        type: 'CandidateProfileShared',
        data: {
          clientId,
          consentId: 'consent-jm',
          scope: ['legal_status', 'location', 'availability', 'languages'],
          trigger,
          sharedAt: at,
        },
      }) as ClientEvent;
    const employment = {
      skills: ['http://data.europa.eu/esco/skill/abc'],
      occupations: [{ iscoCode: '7112' }],
      drivingLicences: ['B' as const],
      availability: { from: '2025-07-01', opportunityKinds: ['job' as const] },
    };

    it('shares the candidate profile when job matching consent is given, naming no personal data', () =>
      spec
        .given([registered])
        .when(matchingConsent)
        .then([matchingGiven, shared('consent_given')]));

    it('refuses a job matching consent without legal status, location and availability in scope', () =>
      spec
        .given([registered])
        .when({ ...matchingConsent, scope: ['languages'] })
        .thenThrows('VALIDATION_FAILED', /\/scope/));

    it('shares again on legal status or language changes while the consent holds, not after withdrawal', () => {
      const legal: ClientCommand = {
        type: 'ChangeLegalStatus',
        clientId,
        now: later,
        actor: officer,
        personal: { legalStatus: { status: 'refugee' } },
      };
      spec
        .given([registered, matchingGiven])
        .when(legal)
        .thenEvents((events) => {
          expect(events.map((e) => e.type)).toEqual(['LegalStatusChanged', 'CandidateProfileShared']);
          expect(events[1]).toEqual(shared('legal_status_changed', later));
        });
      const languages: ClientCommand = {
        type: 'CorrectPersonalData',
        clientId,
        now: later,
        actor: officer,
        personal: { languages: [{ language: 'el', level: 'B1' }] },
      };
      spec
        .given([registered, matchingGiven])
        .when(languages)
        .thenEvents((events) => expect(events[1]).toEqual(shared('personal_data_corrected', later)));
      // A name correction tells matching nothing new.
      spec
        .given([registered, matchingGiven])
        .when({ ...languages, personal: { familyName: 'Al-Haddad' } })
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['ClientPersonalDataCorrected']));
      const withdrawn: ClientEvent = {
        type: 'ConsentWithdrawn',
        data: {
          clientId,
          consentId: 'consent-jm',
          purpose: 'job_matching',
          recipient: {},
          withdrawnAt: now,
          recordedBy: { organisationId: 'org-a', userId: 'u-1' },
        },
      };
      spec
        .given([registered, matchingGiven, withdrawn])
        .when(legal)
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['LegalStatusChanged']));
    });

    it('validates location and employment against the matching contract', () => {
      spec
        .given([registered])
        .when({
          type: 'CorrectPersonalData',
          clientId,
          now,
          actor: officer,
          personal: {
            location: { country: 'GR', region: 'EL30', coordinates: { lat: 99, lon: 0 } },
            employment: { ...employment, skills: ['welding'], availability: { from: 'soon', opportunityKinds: [] } },
          },
        } as ClientCommand)
        .thenThrows(
          'VALIDATION_FAILED',
          /location\/coordinates\/lat[\s\S]*employment\/skills\/0[\s\S]*availability\/from[\s\S]*opportunityKinds/,
        );
      spec
        .given([registered])
        .when({
          type: 'CorrectPersonalData',
          clientId,
          now,
          actor: officer,
          personal: { location: { country: 'GR', region: 'EL30' }, employment },
        })
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['ClientPersonalDataCorrected']));
    });
  });

  describe('erasure', () => {
    const erase: ClientCommand = {
      type: 'EraseClient',
      clientId,
      now,
      actor: dpo,
      reason: { code: 'data_subject_request' },
      otherHolders: ['org-c', 'org-b', 'org-a', 'org-b'],
    };

    it('records ClientErased without any personal data', () =>
      spec
        .given([registered])
        .when(erase)
        .thenEvents((events) => {
          expect(events).toEqual([erased]);
          expect(JSON.stringify(events)).not.toMatch(/Amira|Haddad|1990/);
        }));

    it('tells the other holders (GDPR art. 19), each once, the eraser not among them', () =>
      spec
        .given([registered])
        .when(erase)
        .thenEvents((events) =>
          expect(events[0]!.type === 'ClientErased' && events[0]!.data.notifiedOrganisationIds).toEqual([
            'org-b',
            'org-c',
          ]),
        ));

    it('needs a reason, named at /body/reason', () => {
      try {
        clientDecider.decide(
          { ...erase, reason: undefined },
          [registered].reduce(clientDecider.evolve, clientDecider.initialState()),
        );
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({
          code: 'BUSINESS_RULE_VIOLATED',
          status: 422,
          errors: [{ pointer: '/body/reason' }],
        });
      }
      spec
        .given([registered])
        .when({ ...erase, reason: { code: 'Because' } })
        .thenThrows('VALIDATION_FAILED', /\/body\/reason\/code/);
    });

    it('needs the data protection officer of a registering organisation: not an officer, not an org admin', () => {
      spec
        .given([registered])
        .when({ ...erase, actor: officer })
        .thenThrows('FORBIDDEN', /data_protection_officer/);
      spec
        .given([registered])
        .when({ ...erase, actor: { ...dpo, roles: ['org_admin'] } })
        .thenThrows('FORBIDDEN', /data_protection_officer/);
      spec
        .given([registered])
        .when({ ...erase, actor: { ...dpo, organisationId: 'org-b' } })
        .thenThrows('FORBIDDEN', /did not register/);
    });

    it('is idempotent, and every other command on an erased client is refused as gone', () => {
      spec.given([registered, erased]).when(erase).thenNothing();
      spec
        .given([registered, erased])
        .when(giveConsent)
        .thenThrows('GONE', /erased/);
      spec
        .given([registered, erased])
        .when({ type: 'CorrectPersonalData', clientId, now, actor: officer, personal: { familyName: 'X' } })
        .thenThrows('GONE');
    });
  });
});
