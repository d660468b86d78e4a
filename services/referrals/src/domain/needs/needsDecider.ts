import type { Decider } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { actedBy, requireRole, type Actor } from '../shared/actor.js';
import type { Opaque, Reason } from '../shared/personal.js';
import { Problems, isNonBlank, isReasonCode } from '../shared/validation.js';
import {
  NEED_PRIORITIES,
  SERVICE_CATEGORIES,
  isOneOf,
  type NeedPriority,
  type ServiceCategory,
} from '../shared/vocabulary.js';

/** One stream per client for the needs assessment, so assessing never contends with consent changes. */
export const needsStreamId = (clientId: string): string => `client-needs-${clientId}`;

const MAX_NOTES = 10_000;

interface Base {
  clientId: string;
  now: string;
  actor: Actor;
  /** Pre-computed from the client stream and the access rule. */
  client: { status: 'active' | 'erased' | 'unknown'; visibleToActor: boolean };
}

export type NeedsCommand =
  | (Base & {
      type: 'AssessNeed';
      needId: string;
      assessmentId: string;
      category: ServiceCategory;
      priority: NeedPriority;
      notes?: string;
    })
  | (Base & { type: 'ReassessNeed'; needId: string; assessmentId: string; priority: NeedPriority; notes?: string })
  | (Base & { type: 'CloseNeed'; needId: string; reason: Reason });

type By = { organisationId: string; userId: string };

export type NeedsEvent =
  | {
      type: 'NeedAssessed';
      data: {
        clientId: string;
        needId: string;
        assessmentId: string;
        category: ServiceCategory;
        priority: NeedPriority;
        by: By;
        at: string;
        personal?: { notes: string };
      };
    }
  | {
      type: 'NeedReassessed';
      data: {
        clientId: string;
        needId: string;
        assessmentId: string;
        category: ServiceCategory;
        previousPriority: NeedPriority;
        priority: NeedPriority;
        by: By;
        at: string;
        personal?: { notes: string };
      };
    }
  | {
      type: 'NeedClosed';
      data: {
        clientId: string;
        needId: string;
        by: By;
        at: string;
        reasonCode: string;
        personal?: { reasonNote: string };
      };
    };

export interface NeedSummary {
  category: ServiceCategory;
  priority: NeedPriority;
  status: 'open' | 'closed';
  assessments: string[];
}

export interface NeedsState {
  needs: Record<string, NeedSummary>;
}

const notes = (value: string | undefined): { personal?: { notes: string } } =>
  isNonBlank(value) ? { personal: { notes: value } } : {};

function decide(command: NeedsCommand, state: NeedsState): NeedsEvent[] {
  const { actor, now, clientId } = command;
  requireRole(actor, 'referral_officer', 'assessing needs');
  if (command.client.status === 'unknown') throw new AppError('NOT_FOUND', `client ${clientId} is not registered`);
  if (command.client.status === 'erased') throw new AppError('GONE', `client ${clientId} was erased`);
  if (!command.client.visibleToActor)
    throw new AppError('FORBIDDEN', `organisation ${actor.organisationId} has no access to client ${clientId}`);

  const problems = new Problems();
  if ('notes' in command && command.notes !== undefined)
    problems.check(command.notes.length <= MAX_NOTES, '/notes', `must be at most ${MAX_NOTES} characters`);
  if (command.type !== 'CloseNeed')
    problems.check(
      isOneOf(NEED_PRIORITIES, command.priority),
      '/priority',
      `must be one of ${NEED_PRIORITIES.join(', ')}`,
    );

  switch (command.type) {
    case 'AssessNeed': {
      problems.check(isOneOf(SERVICE_CATEGORIES, command.category), '/category', 'is not a known service category');
      problems.throwIfAny('assessment is not valid');
      if (state.needs[command.needId]) throw new AppError('CONFLICT', `need ${command.needId} already exists`);
      const open = Object.entries(state.needs).find(([, n]) => n.status === 'open' && n.category === command.category);
      if (open)
        throw new AppError('CONFLICT', `an open ${command.category} need (${open[0]}) exists: reassess it instead`, {
          extensions: { needId: open[0] },
        });
      return [
        {
          type: 'NeedAssessed',
          data: {
            clientId,
            needId: command.needId,
            assessmentId: command.assessmentId,
            category: command.category,
            priority: command.priority,
            by: actedBy(actor),
            at: now,
            ...notes(command.notes),
          },
        },
      ];
    }

    case 'ReassessNeed': {
      problems.throwIfAny('reassessment is not valid');
      const need = state.needs[command.needId];
      if (!need) throw new AppError('NOT_FOUND', `need ${command.needId} does not exist`);
      if (need.status === 'closed')
        throw new AppError('ILLEGAL_TRANSITION', `cannot reassess need ${command.needId}: it is closed`);
      if (need.assessments.includes(command.assessmentId)) return [];
      return [
        {
          type: 'NeedReassessed',
          data: {
            clientId,
            needId: command.needId,
            assessmentId: command.assessmentId,
            category: need.category,
            previousPriority: need.priority,
            priority: command.priority,
            by: actedBy(actor),
            at: now,
            ...notes(command.notes),
          },
        },
      ];
    }

    case 'CloseNeed': {
      problems.check(isReasonCode(command.reason?.code), '/reason/code', 'is required: a reason code (a-z, 0-9, _)');
      problems.throwIfAny('closing is not valid');
      const need = state.needs[command.needId];
      if (!need) throw new AppError('NOT_FOUND', `need ${command.needId} does not exist`);
      if (need.status === 'closed') return [];
      return [
        {
          type: 'NeedClosed',
          data: {
            clientId,
            needId: command.needId,
            by: actedBy(actor),
            at: now,
            reasonCode: command.reason.code,
            ...(isNonBlank(command.reason.note) ? { personal: { reasonNote: command.reason.note } } : {}),
          },
        },
      ];
    }
  }
}

/** Typed over Opaque events: it cannot read `personal`, so the state never holds the notes. */
export function evolveNeeds(state: NeedsState, event: Opaque<NeedsEvent>): NeedsState {
  const d = event.data;
  const current = state.needs[d.needId];
  switch (event.type) {
    case 'NeedAssessed':
      return {
        needs: {
          ...state.needs,
          [d.needId]: {
            category: event.data.category,
            priority: event.data.priority,
            status: 'open',
            assessments: [event.data.assessmentId],
          },
        },
      };
    case 'NeedReassessed':
      if (!current) return state;
      return {
        needs: {
          ...state.needs,
          [d.needId]: {
            ...current,
            priority: event.data.priority,
            assessments: [...current.assessments, event.data.assessmentId],
          },
        },
      };
    case 'NeedClosed':
      if (!current) return state;
      return { needs: { ...state.needs, [d.needId]: { ...current, status: 'closed' } } };
  }
}

export const needsDecider: Decider<NeedsState, NeedsCommand, NeedsEvent> = {
  initialState: () => ({ needs: {} }),
  decide,
  evolve: evolveNeeds,
};
