import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../shared/actor.js';
import { needsDecider, type NeedsCommand, type NeedsEvent } from './needsDecider.js';

const spec = DeciderSpecification.for(needsDecider);
const clientId = 'client-1';
const now = '2025-06-01T10:00:00.000Z';
const later = '2025-07-01T10:00:00.000Z';
const officer: Actor = { organisationId: 'org-a', userId: 'u-1', roles: ['referral_officer'] };
const by = { organisationId: 'org-a', userId: 'u-1' };
const visible = { status: 'active' as const, visibleToActor: true };

const assess: NeedsCommand = {
  type: 'AssessNeed',
  clientId,
  now,
  actor: officer,
  client: visible,
  needId: 'need-1',
  assessmentId: 'as-1',
  category: 'housing',
  priority: 'high',
  notes: 'sleeps at a friend’s place, two children',
};
const assessed: NeedsEvent = {
  type: 'NeedAssessed',
  data: {
    clientId,
    needId: 'need-1',
    assessmentId: 'as-1',
    category: 'housing',
    priority: 'high',
    by,
    at: now,
    personal: { notes: 'sleeps at a friend’s place, two children' },
  },
};
const reassess: NeedsCommand = {
  type: 'ReassessNeed',
  clientId,
  now: later,
  actor: officer,
  client: visible,
  needId: 'need-1',
  assessmentId: 'as-2',
  priority: 'urgent',
};
const reassessed: NeedsEvent = {
  type: 'NeedReassessed',
  data: {
    clientId,
    needId: 'need-1',
    assessmentId: 'as-2',
    category: 'housing',
    previousPriority: 'high',
    priority: 'urgent',
    by,
    at: later,
  },
};
const close: NeedsCommand = {
  type: 'CloseNeed',
  clientId,
  now: later,
  actor: officer,
  client: visible,
  needId: 'need-1',
  reason: { code: 'need_met' },
};
const closed: NeedsEvent = {
  type: 'NeedClosed',
  data: { clientId, needId: 'need-1', by, at: later, reasonCode: 'need_met' },
};

describe('needs decider', () => {
  it('assesses a need by category and priority, the notes kept personal', () =>
    spec.given([]).when(assess).then([assessed]));

  it('keeps one open need per category: a second one is a reassessment', () =>
    spec
      .given([assessed])
      .when({ ...assess, needId: 'need-2', assessmentId: 'as-9' })
      .thenThrows('CONFLICT', /reassess/));

  it('reassesses over time, recording the previous priority; a repeated assessment id is recorded once', () => {
    spec.given([assessed]).when(reassess).then([reassessed]);
    spec.given([assessed, reassessed]).when(reassess).thenNothing();
  });

  it('closes a need with a reason code; then it is neither reassessed nor closed twice', () => {
    spec.given([assessed]).when(close).then([closed]);
    spec
      .given([assessed, closed])
      .when(reassess)
      .thenThrows('ILLEGAL_TRANSITION', /closed/);
    spec.given([assessed, closed]).when(close).thenNothing();
    spec
      .given([assessed])
      .when({ ...close, reason: { code: '' } })
      .thenThrows('VALIDATION_FAILED', /reason\/code/);
  });

  it('allows a new need of a category once the previous one is closed', () =>
    spec
      .given([assessed, closed])
      .when({ ...assess, needId: 'need-2', assessmentId: 'as-3' })
      .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['NeedAssessed'])));

  it('refuses unknown priorities and categories', () => {
    spec
      .given([])
      .when({ ...assess, priority: 'critical' } as unknown as NeedsCommand)
      .thenThrows('VALIDATION_FAILED', /priority/);
    spec
      .given([])
      .when({ ...assess, category: 'food' } as unknown as NeedsCommand)
      .thenThrows('VALIDATION_FAILED', /category/);
  });

  it('refuses clients the organisation cannot see, and erased clients', () => {
    spec
      .given([])
      .when({ ...assess, client: { status: 'active', visibleToActor: false } })
      .thenThrows('FORBIDDEN');
    spec
      .given([])
      .when({ ...assess, client: { status: 'erased', visibleToActor: true } })
      .thenThrows('GONE');
  });

  it('keeps the history but no notes in the state', () => {
    const state = [assessed, reassessed].reduce(needsDecider.evolve, needsDecider.initialState());
    expect(state.needs['need-1']).toEqual({
      category: 'housing',
      priority: 'urgent',
      status: 'open',
      assessments: ['as-1', 'as-2'],
    });
    expect(JSON.stringify(state)).not.toContain('children');
  });
});
