import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  parseAnswer,
  runInCommandScope,
  type CommandAnswer,
  type CommandScope,
  type Decision,
} from '../commandHandling/commandScope.js';
import { AppError } from '../errors/appError.js';
import { etagFor } from './etag.js';
import { answerFromRecord, sendAnswer } from './idempotency.js';

export interface AnswerCommandOptions {
  /** The answer, built from the command's (first) decision: the state after its events, never a read model. */
  answer: (decision: Decision) => CommandAnswer;
  /**
   * Read-your-writes for the caller's next GET: a short wait for the read models to reach the
   * command's events. It must never fail the command (the answer stands on the decision alone).
   */
  settle?: (position: number) => Promise<void>;
}

/**
 * Runs a command route's command and answers from its decision. With an Idempotency-Key the answer is
 * built inside the append and committed with the events (one transaction), then sent as recorded; a
 * retry, at any later moment, gets exactly that answer (see idempotency.ts). If another request with
 * the same key committed first, this one answers with that request's answer (or 422 for another body).
 */
export async function answerCommand(
  request: FastifyRequest,
  reply: FastifyReply,
  command: () => Promise<unknown>,
  options: AnswerCommandOptions,
): Promise<FastifyReply> {
  const claim = request.idempotency;
  if (claim) claim.used = true;
  const scope: CommandScope = { claim, answer: options.answer };
  try {
    await runInCommandScope(scope, command);
  } catch (error) {
    const record = claim ? await claim.lookup() : null;
    if (record) return answerFromRecord(request, reply, record);
    throw error;
  }
  const decision = scope.decision;
  if (!decision) throw new AppError('INTERNAL', `${request.routeOptions.url ?? 'route'} ran no command`);
  const answer = scope.recorded === undefined ? options.answer(decision) : parseAnswer(scope.recorded);
  if (options.settle && decision.lastPosition !== undefined)
    await options.settle(decision.lastPosition).catch(() => undefined);
  return sendAnswer(reply, answer);
}

/** 201 Created with the new resource's Location, its ETag and a small body naming it. */
export const createdAnswer = (location: string, body: unknown, version: number | null): CommandAnswer => ({
  status: 201,
  headers: { location, ...(version === null ? {} : { etag: etagFor(version) }) },
  body,
});

/** 204 No Content with the stream's new ETag: a state change on an existing resource. */
export const noContentAnswer = (version: number | null): CommandAnswer => ({
  status: 204,
  headers: version === null ? {} : { etag: etagFor(version) },
});
