import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { handleCommand, handleCommands } from '../commandHandling/handleCommand.js';
import type { Decider } from '../decider/types.js';
import { AppError } from '../errors/appError.js';
import type { EventStore } from '../eventStore/types.js';
import { answerCommand, createdAnswer } from '../http/commandAnswer.js';

/**
 * A tiny service for the HTTP kit's tests (idempotency, crash recovery): tickets opened with an
 * Idempotency-Key, and a "split" that creates a new ticket and links it on the original (a command
 * that writes two streams). Real store, real handleCommand, real answerCommand; only the domain is toy.
 */
type TicketEvent =
  | { type: 'TicketOpened'; data: { ticketId: string; title: string } }
  | { type: 'TicketSplit'; data: { ticketId: string; into: string } };
type TicketCommand =
  { type: 'Open'; ticketId: string; title: string } | { type: 'Split'; ticketId: string; into: string };
interface TicketState {
  ticketId: string | null;
  title: string | null;
  splitInto: string[];
}

export const ticketDecider: Decider<TicketState, TicketCommand, TicketEvent> = {
  initialState: () => ({ ticketId: null, title: null, splitInto: [] }),
  decide: (command, state) => {
    if (command.type === 'Open') {
      if (state.ticketId !== null) throw new AppError('CONFLICT', `ticket ${command.ticketId} exists`);
      if (command.title === 'refuse') throw new AppError('BUSINESS_RULE_VIOLATED', 'this title is refused');
      return [{ type: 'TicketOpened', data: { ticketId: command.ticketId, title: command.title } }];
    }
    if (state.ticketId === null) throw new AppError('NOT_FOUND', `ticket ${command.ticketId} does not exist`);
    return state.splitInto.includes(command.into)
      ? []
      : [{ type: 'TicketSplit', data: { ticketId: command.ticketId, into: command.into } }];
  },
  evolve: (state, event) =>
    event.type === 'TicketOpened'
      ? { ...state, ticketId: event.data.ticketId, title: event.data.title }
      : { ...state, splitInto: [...state.splitInto, event.data.into] },
};

export const ticketStream = (ticketId: string): string => `ticket-${ticketId}`;

export const ticketsRoutes = async (app: FastifyInstance, store: EventStore): Promise<void> => {
  const answer =
    (path: (id: string) => string) =>
    (d: { state: unknown; nextExpectedVersion: number | null; recordedAt: string | null }) => {
      const state = d.state as TicketState;
      return createdAnswer(
        path(state.ticketId!),
        { ticketId: state.ticketId, title: state.title, openedAt: d.recordedAt },
        d.nextExpectedVersion,
      );
    };
  app.post<{ Body: { title: string } }>(
    '/tickets',
    {
      config: { idempotent: true },
      schema: {
        body: {
          type: 'object',
          required: ['title'],
          properties: { title: { type: 'string' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const ticketId = randomUUID();
      return answerCommand(
        request,
        reply,
        () =>
          handleCommand({
            store,
            streamId: ticketStream(ticketId),
            decider: ticketDecider,
            command: { type: 'Open', ticketId, title: request.body.title },
          }),
        { answer: answer((id) => `/tickets/${id}`) },
      );
    },
  );
  app.post<{ Params: { id: string }; Body: { title: string } }>(
    '/tickets/:id/split',
    { config: { idempotent: true } },
    async (request, reply) => {
      const into = randomUUID();
      return answerCommand(
        request,
        reply,
        () =>
          handleCommands([
            {
              store,
              streamId: ticketStream(into),
              decider: ticketDecider,
              command: { type: 'Open', ticketId: into, title: request.body.title },
            },
            {
              store,
              streamId: ticketStream(request.params.id),
              decider: ticketDecider,
              command: { type: 'Split', ticketId: request.params.id, into },
              retriesOnConflict: 3,
            },
          ] as const),
        { answer: answer((id) => `/tickets/${id}`) },
      );
    },
  );
};
