import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { describe, expect, it } from 'vitest';
import type { Consent } from '../consent/consent.js';
import type { Actor } from '../shared/actor.js';
import { referralDecider } from './referralDecider.js';
import type { ReferralCommand, ReferralEvent, SendReferral } from './referralTypes.js';

const spec = DeciderSpecification.for(referralDecider);
const referralId = 'ref-1';
const clientId = 'client-1';
const t0 = '2025-06-01T10:00:00.000Z';
const t1 = '2025-06-02T09:00:00.000Z';
const sender: Actor = { organisationId: 'org-a', userId: 'u-a', roles: ['referral_officer'] };
const receiver: Actor = { organisationId: 'org-b', userId: 'u-b', roles: ['referral_officer'] };
const stranger: Actor = { organisationId: 'org-c', userId: 'u-c', roles: ['referral_officer'] };
const may = { mayExchange: true };

const consent: Consent = {
  consentId: 'consent-housing',
  clientId,
  purpose: 'referral',
  recipient: { serviceCategory: 'housing' },
  scope: ['needs', 'languages'],
  method: 'written',
  recordedBy: { organisationId: 'org-a', userId: 'u-a' },
  givenAt: '2025-05-01T00:00:00.000Z',
  expiresAt: null,
  withdrawnAt: null,
};

const send = (over: Partial<SendReferral> = {}): SendReferral => ({
  type: 'SendReferral',
  referralId,
  now: t0,
  actor: sender,
  actorOrganisation: may,
  clientId,
  receiver: { organisationId: 'org-b', mayExchange: true },
  serviceId: 'svc-1',
  category: 'housing',
  share: ['needs'],
  responseTimeHours: 48,
  client: { status: 'active', visibleToSender: true },
  consents: [consent],
  personal: { message: 'Family of four, needs a flat near the school' },
  ...over,
});

const by = (a: Actor) => ({ organisationId: a.organisationId, userId: a.userId });
const requested: ReferralEvent = {
  type: 'ReferralRequested',
  data: {
    referralId,
    clientId,
    senderOrganisationId: 'org-a',
    receiverOrganisationId: 'org-b',
    serviceId: 'svc-1',
    category: 'housing',
    share: ['needs'],
    by: by(sender),
    at: t0,
    respondBy: '2025-06-03T10:00:00.000Z',
    consentBasis: { kind: 'consent', consentId: 'consent-housing' },
    flaggedForReporting: false,
    personal: { message: 'Family of four, needs a flat near the school' },
  },
};
const route = {
  referralId,
  clientId,
  senderOrganisationId: 'org-a',
  receiverOrganisationId: 'org-b',
  category: 'housing' as const,
  serviceId: 'svc-1',
};
const change = (a: Actor, at = t1) => ({ ...route, by: by(a), at });
type Status = 'requested' | 'accepted' | 'in-progress' | 'on-hold';
const move = (a: Actor, previousStatus: Status) => ({ ...change(a), previousStatus });
const accepted: ReferralEvent = { type: 'ReferralAccepted', data: move(receiver, 'requested') };
const started: ReferralEvent = { type: 'ReferralStarted', data: move(receiver, 'accepted') };
const onHold: ReferralEvent = {
  type: 'ReferralPutOnHold',
  data: { ...move(receiver, 'in-progress'), reasonCode: 'waiting_documents' },
};
const rejected: ReferralEvent = {
  type: 'ReferralRejected',
  data: { ...move(receiver, 'requested'), reasonCode: 'no_capacity' },
};
const completed: ReferralEvent = {
  type: 'ReferralCompleted',
  data: { ...move(receiver, 'in-progress'), outcome: 'need_met' },
};
const cancelled = (previousStatus: Status): ReferralEvent => ({
  type: 'ReferralCancelled',
  data: { ...move(sender, previousStatus), reasonCode: 'client_moved' },
});

const cmd = <T extends Exclude<ReferralCommand, SendReferral | { type: 'ExpireReferral' }>['type']>(
  type: T,
  actor: Actor,
  extra: object = {},
): ReferralCommand => ({ type, referralId, now: t1, actor, actorOrganisation: may, ...extra }) as ReferralCommand;

describe('referral decider', () => {
  describe('sending', () => {
    it('sends with consent, citing the consent and the response deadline', () =>
      spec.given([]).when(send()).then([requested]));

    it('refuses without consent for that purpose and recipient (422)', () => {
      spec
        .given([])
        .when(send({ consents: [] }))
        .thenThrows('BUSINESS_RULE_VIOLATED', /no consent/);
      spec
        .given([])
        .when(send({ category: 'legal' }))
        .thenThrows('BUSINESS_RULE_VIOLATED', /no consent/);
      spec
        .given([])
        .when(send({ consents: [{ ...consent, withdrawnAt: t0 }] }))
        .thenThrows('BUSINESS_RULE_VIOLATED', /no consent/);
    });

    it('refuses to share data outside the consent scope', () =>
      spec
        .given([])
        .when(send({ share: ['needs', 'contact_details'] }))
        .thenThrows('BUSINESS_RULE_VIOLATED'));

    it('lets a consent_override holder send without consent, with a reason, flagged for reporting', () =>
      spec
        .given([])
        .when(
          send({
            consents: [],
            actor: { ...sender, roles: ['referral_officer', 'consent_override'] },
            consentOverride: { code: 'vital_interest', note: 'risk of homelessness tonight' },
            personal: {},
          }),
        )
        .thenEvents(([event]) => {
          expect(event).toMatchObject({
            type: 'ReferralRequested',
            data: {
              consentBasis: { kind: 'override', reasonCode: 'vital_interest', overriddenBy: by(sender) },
              flaggedForReporting: true,
              personal: { overrideNote: 'risk of homelessness tonight' },
            },
          });
        }));

    it('refuses an override by someone without the permission, or without a reason code', () => {
      spec
        .given([])
        .when(send({ consents: [], consentOverride: { code: 'vital_interest' } }))
        .thenThrows('FORBIDDEN', /consent_override/);
      spec
        .given([])
        .when(
          send({
            consents: [],
            actor: { ...sender, roles: ['referral_officer', 'consent_override'] },
            consentOverride: { code: 'Because I say so' },
          }),
        )
        .thenThrows('VALIDATION_FAILED', /consentOverride\/code/);
    });

    it('lets only organisations that may exchange send or receive', () => {
      spec
        .given([])
        .when(send({ actorOrganisation: { mayExchange: false } }))
        .thenThrows('FORBIDDEN', /may not exchange/);
      spec
        .given([])
        .when(send({ receiver: { organisationId: 'org-b', mayExchange: false } }))
        .thenThrows('BUSINESS_RULE_VIOLATED', /org-b may not exchange/);
    });

    it('refuses clients the sender cannot see, erased or unknown clients', () => {
      spec
        .given([])
        .when(send({ client: { status: 'active', visibleToSender: false } }))
        .thenThrows('FORBIDDEN', /no access/);
      spec
        .given([])
        .when(send({ client: { status: 'erased', visibleToSender: true } }))
        .thenThrows('GONE');
      spec
        .given([])
        .when(send({ client: { status: 'unknown', visibleToSender: false } }))
        .thenThrows('NOT_FOUND');
    });

    it('validates the request and refuses a second send on the same id', () => {
      spec
        .given([])
        .when(send({ receiver: { organisationId: 'org-a', mayExchange: true } }))
        .thenThrows('VALIDATION_FAILED', /itself/);
      spec
        .given([])
        .when(send({ responseTimeHours: 0 }))
        .thenThrows('VALIDATION_FAILED', /responseTimeHours/);
      spec.given([requested]).when(send()).thenThrows('CONFLICT');
    });
  });

  describe('the closed loop', () => {
    it('requested → accepted → in-progress → completed with an outcome (note kept personal)', () => {
      spec.given([requested]).when(cmd('AcceptReferral', receiver)).then([accepted]);
      spec.given([requested, accepted]).when(cmd('StartReferral', receiver)).then([started]);
      spec
        .given([requested, accepted, started])
        .when(cmd('CompleteReferral', receiver, { outcome: 'need_met', note: 'moved in on 3 June' }))
        .then([
          {
            type: 'ReferralCompleted',
            data: {
              ...move(receiver, 'in-progress'),
              outcome: 'need_met',
              personal: { outcomeNote: 'moved in on 3 June' },
            },
          },
        ]);
    });

    it('rejection needs a reason code', () => {
      spec
        .given([requested])
        .when(cmd('RejectReferral', receiver, { reason: { code: 'no_capacity' } }))
        .then([rejected]);
      spec
        .given([requested])
        .when(cmd('RejectReferral', receiver, {}))
        .thenThrows('VALIDATION_FAILED', /reason\/code/);
    });

    it('fails with a reason from accepted, in-progress or on-hold', () =>
      spec
        .given([requested, accepted, started])
        .when(cmd('FailReferral', receiver, { reason: { code: 'client_unreachable', note: 'phone off for 2 weeks' } }))
        .then([
          {
            type: 'ReferralFailed',
            data: {
              ...move(receiver, 'in-progress'),
              reasonCode: 'client_unreachable',
              personal: { reasonNote: 'phone off for 2 weeks' },
            },
          },
        ]));

    it('holds with a reason and resumes to where it was', () => {
      spec
        .given([requested, accepted, started])
        .when(cmd('PutReferralOnHold', receiver, { reason: { code: 'waiting_documents' } }))
        .then([onHold]);
      spec
        .given([requested, accepted, started, onHold])
        .when(cmd('ResumeReferral', receiver))
        .then([
          {
            type: 'ReferralResumed',
            data: { ...change(receiver), previousStatus: 'on-hold', resumedTo: 'in-progress' },
          },
        ]);
      const resumed: ReferralEvent = {
        type: 'ReferralResumed',
        data: { ...change(receiver), previousStatus: 'on-hold', resumedTo: 'in-progress' },
      };
      const fold = (events: ReferralEvent[]) => events.reduce(referralDecider.evolve, referralDecider.initialState());
      expect(fold([requested, accepted, started, onHold, resumed]).status).toBe('in-progress');
      const heldWhenAccepted: ReferralEvent = {
        type: 'ReferralPutOnHold',
        data: { ...move(receiver, 'accepted'), reasonCode: 'waiting_documents' },
      };
      spec
        .given([requested, accepted, heldWhenAccepted])
        .when(cmd('ResumeReferral', receiver))
        .then([
          { type: 'ReferralResumed', data: { ...change(receiver), previousStatus: 'on-hold', resumedTo: 'accepted' } },
        ]);
    });

    it('refuses illegal transitions, naming the current state', () => {
      spec
        .given([requested, rejected])
        .when(cmd('AcceptReferral', receiver))
        .thenThrows('ILLEGAL_TRANSITION', /it is rejected/);
      spec
        .given([requested, rejected])
        .when(cmd('CompleteReferral', receiver, { outcome: 'need_met' }))
        .thenThrows('ILLEGAL_TRANSITION', /it is rejected/);
      spec
        .given([requested])
        .when(cmd('CompleteReferral', receiver, { outcome: 'need_met' }))
        .thenThrows('ILLEGAL_TRANSITION', /it is requested/);
      spec
        .given([requested, accepted])
        .when(cmd('ResumeReferral', receiver))
        .thenThrows('ILLEGAL_TRANSITION', /it is accepted/);
      spec
        .given([requested, accepted, started, completed])
        .when(cmd('CancelReferral', sender, { reason: { code: 'client_moved' } }))
        .thenThrows('ILLEGAL_TRANSITION', /it is completed/);
    });

    it('lets only the receiver accept, reject and progress', () => {
      spec
        .given([requested])
        .when(cmd('AcceptReferral', sender))
        .thenThrows('FORBIDDEN', /only the receiver/);
      spec
        .given([requested])
        .when(cmd('RejectReferral', stranger, { reason: { code: 'no_capacity' } }))
        .thenThrows('FORBIDDEN', /only the receiver/);
      spec.given([requested, accepted]).when(cmd('StartReferral', sender)).thenThrows('FORBIDDEN');
    });

    it('refuses a receiver that may no longer exchange cases', () =>
      spec
        .given([requested])
        .when({ ...cmd('AcceptReferral', receiver), actorOrganisation: { mayExchange: false } } as ReferralCommand)
        .thenThrows('FORBIDDEN', /may not exchange/));

    it('lets only the sender cancel, with a reason, until completion (even while suspended)', () => {
      const cancel = cmd('CancelReferral', sender, { reason: { code: 'client_moved' } });
      spec
        .given([requested, accepted, started])
        .when(cancel)
        .then([cancelled('in-progress')]);
      spec
        .given([requested])
        .when({ ...cancel, actorOrganisation: { mayExchange: false } } as ReferralCommand)
        .then([cancelled('requested')]);
      spec
        .given([requested])
        .when(cmd('CancelReferral', receiver, { reason: { code: 'client_moved' } }))
        .thenThrows('FORBIDDEN', /only the sender/);
    });

    it('refuses everything on an unknown referral', () =>
      spec.given([]).when(cmd('AcceptReferral', receiver)).thenThrows('NOT_FOUND'));
  });

  describe('expiry', () => {
    const expire = (now: string): ReferralCommand => ({ type: 'ExpireReferral', referralId, now });

    it('expires an unanswered referral once its response time has passed', () =>
      spec
        .given([requested])
        .when(expire('2025-06-03T10:00:00.000Z'))
        .then([
          {
            type: 'ReferralExpired',
            data: {
              ...route,
              at: '2025-06-03T10:00:00.000Z',
              respondBy: '2025-06-03T10:00:00.000Z',
              previousStatus: 'requested',
            },
          },
        ]));

    it('refuses when not yet due or already answered', () => {
      spec
        .given([requested])
        .when(expire('2025-06-03T09:59:59.999Z'))
        .thenThrows('BUSINESS_RULE_VIOLATED', /not due/);
      spec
        .given([requested, accepted])
        .when(expire('2025-07-01T00:00:00.000Z'))
        .thenThrows('ILLEGAL_TRANSITION', /it is accepted/);
    });
  });

  describe('forwarding', () => {
    const forward = cmd('ForwardReferral', receiver, {
      newReferralId: 'ref-2',
      to: { organisationId: 'org-c' },
      reason: { code: 'better_suited' },
    });
    const forwarded: ReferralEvent = {
      type: 'ReferralForwarded',
      data: { ...change(receiver), reasonCode: 'better_suited', newReferralId: 'ref-2', toOrganisationId: 'org-c' },
    };

    it('answers an unanswered referral by rejecting it as forwarded, and links the new one', () =>
      spec
        .given([requested])
        .when(forward)
        .then([
          { type: 'ReferralRejected', data: { ...move(receiver, 'requested'), reasonCode: 'forwarded' } },
          forwarded,
        ]));

    it('records the link once: a retried forward of the same new referral changes nothing', () =>
      spec
        .given([
          requested,
          { type: 'ReferralRejected', data: { ...move(receiver, 'requested'), reasonCode: 'forwarded' } },
          forwarded,
        ])
        .when(forward)
        .then([]));

    it('keeps an accepted referral going while an additional one is forwarded', () =>
      spec.given([requested, accepted]).when(forward).then([forwarded]));

    it('is for the receiver only, and not after the loop closed', () => {
      spec
        .given([requested])
        .when({ ...forward, actor: sender } as ReferralCommand)
        .thenThrows('FORBIDDEN');
      spec
        .given([requested, rejected])
        .when(forward)
        .thenThrows('ILLEGAL_TRANSITION', /it is rejected/);
    });

    it('creates the new referral through SendReferral, so consent is checked again for the new recipient', () => {
      const onward = send({
        referralId: 'ref-2',
        actor: receiver,
        receiver: { organisationId: 'org-c', mayExchange: true },
        consents: [{ ...consent, recipient: { organisationId: 'org-b' } }],
        forwardedFrom: { referralId },
      });
      spec
        .given([])
        .when(onward)
        .thenThrows('BUSINESS_RULE_VIOLATED', /no consent/);
      spec
        .given([])
        .when({ ...onward, consents: [consent] })
        .thenEvents(([event]) =>
          expect(event).toMatchObject({
            type: 'ReferralRequested',
            data: {
              senderOrganisationId: 'org-b',
              receiverOrganisationId: 'org-c',
              forwardedFromReferralId: referralId,
            },
          }),
        );
    });
  });

  describe('messages', () => {
    const post = (actor: Actor, messageId = 'm-1'): ReferralCommand =>
      cmd('PostReferralMessage', actor, { messageId, personal: { text: 'Can she come on Tuesday?' } });

    it('lets sender and receiver write, the text kept personal, a repeated message id recorded once', () => {
      const posted: ReferralEvent = {
        type: 'ReferralMessagePosted',
        data: { ...change(receiver), messageId: 'm-1', personal: { text: 'Can she come on Tuesday?' } },
      };
      spec.given([requested]).when(post(receiver)).then([posted]);
      spec.given([requested, posted]).when(post(receiver)).thenNothing();
      spec
        .given([requested])
        .when(post(sender, 'm-2'))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });

    it('refuses other organisations and empty text', () => {
      spec
        .given([requested])
        .when(post(stranger))
        .thenThrows('FORBIDDEN', /sender and the receiver/);
      spec
        .given([requested])
        .when(cmd('PostReferralMessage', sender, { messageId: 'm-3', personal: { text: '  ' } }))
        .thenThrows('VALIDATION_FAILED', /text/);
    });
  });

  it('keeps no personal data in the state', () => {
    const state = [requested, accepted].reduce(referralDecider.evolve, referralDecider.initialState());
    expect(JSON.stringify(state)).not.toContain('Family of four');
  });
});
