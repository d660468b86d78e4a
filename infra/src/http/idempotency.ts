import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { parseAnswer, type CommandAnswer, type IdempotencyClaim } from '../commandHandling/commandScope.js';
import { AppError } from '../errors/appError.js';
import { canonicalJson } from '../eventStore/canonicalJson.js';
import type { EventStore, IdempotencyRecord } from '../eventStore/types.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A creating POST: honour `Idempotency-Key` (its answer commits with the events; a retry gets it back). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** The request's Idempotency-Key, not yet used; its record is committed by `answerCommand`. */
    idempotency: RequestIdempotency | undefined;
  }
}

export interface RequestIdempotency extends IdempotencyClaim {
  /** The record committed for this key meanwhile (a concurrent duplicate won), or null. */
  lookup(): Promise<IdempotencyRecord | null>;
  /** Set by answerCommand: the route answered through it (so the key was honoured). */
  used: boolean;
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** How long records are kept by default before retention prunes them (see pruneIdempotencyRecords). */
export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 24 * 3600_000;

export interface IdempotencyOptions {
  /** The service's event store: records live there, committed with the events they answer for. */
  store: EventStore;
}

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/** Keys are per acting organisation and subject, so one partner can never replay another's response. */
const scopeOf = (request: FastifyRequest): string => {
  const p = request.principal;
  return p ? `${p.organisationId}/${p.clientId ?? p.subject}` : 'anonymous';
};

const fingerprint = (request: FastifyRequest): string =>
  createHash('sha256')
    .update(`${request.method} ${request.routeOptions.url ?? ''} ${request.url.split('?')[0]}\n`)
    .update(request.body === undefined ? '' : canonicalJson(request.body))
    .digest('hex');

/** Sends a command's answer; the body is serialised here, so a replay is byte for byte the original. */
export const sendAnswer = (reply: FastifyReply, answer: CommandAnswer): FastifyReply => {
  reply.code(answer.status).headers(answer.headers);
  return answer.body === undefined
    ? reply.send()
    : reply.type('application/json; charset=utf-8').send(JSON.stringify(answer.body));
};

/** Sends a recorded answer again, marked as a replay. */
export const replayRecord = (reply: FastifyReply, record: IdempotencyRecord): FastifyReply =>
  sendAnswer(reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true'), parseAnswer(record.response));

/** The record answers this request, or the key was used for a different one (422). */
export const answerFromRecord = (
  request: FastifyRequest,
  reply: FastifyReply,
  record: IdempotencyRecord,
): FastifyReply => {
  if (record.requestHash !== (request.idempotency?.requestHash ?? fingerprint(request)))
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request', {
      errors: [{ pointer: '/headers/idempotency-key', detail: 'was used for a different request' }],
    });
  return replayRecord(reply, record);
};

/**
 * Idempotency-Key for creating POSTs (route config `idempotent: true`). Exactly once, also across
 * crashes: the record (request fingerprint and the answer) is appended in the same transaction as the
 * events the request produced (see answerCommand), so there is no moment at which the events exist
 * without their record or the other way round. A request whose key has a record gets that answer again
 * (status, headers, body), or 422 if its body differs. Nothing is recorded for a request that wrote
 * nothing (a refusal, a failure, a crash before the commit): its retry simply runs again.
 */
export const registerIdempotency = async (app: FastifyInstance, options: IdempotencyOptions): Promise<void> => {
  const { store } = options;
  app.decorateRequest('idempotency', undefined);

  const claim: preHandlerAsyncHookHandler = async function claimIdempotencyKey(
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const raw = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (raw === undefined) return;
    const key = Array.isArray(raw) ? raw[0]! : raw;
    if (!VALID_KEY.test(key))
      throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1-255 visible ASCII characters', {
        errors: [{ pointer: '/headers/idempotency-key', detail: 'must be 1-255 visible ASCII characters' }],
      });
    const scope = scopeOf(request);
    const requestHash = fingerprint(request);
    const lookup = () => store.readIdempotencyRecord(scope, key);
    request.idempotency = { scope, key, requestHash, lookup, used: false };
    const record = await lookup();
    if (record) return answerFromRecord(request, reply, record);
  };

  // Claim after authentication and validation, and after the route's own preHandlers (permissions),
  // so a refused request never reads another's record.
  app.addHook('onRoute', (route) => {
    if (route.config?.idempotent !== true) return;
    const pre =
      route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    route.preHandler = [...pre, claim];
  });

  // A route marked idempotent must answer through answerCommand, or its key protects nothing.
  app.addHook('onResponse', async (request, reply) => {
    const claimed = request.idempotency;
    if (claimed && !claimed.used && reply.statusCode < 300 && reply.getHeader(IDEMPOTENT_REPLAYED_HEADER) !== 'true')
      request.log.error({ route: request.routeOptions.url }, 'idempotent route answered without answerCommand');
  });
};

/** Deletes records older than `olderThan` (for the retention processor): the events stay, only replays end. */
export const pruneIdempotencyRecords = (store: EventStore, olderThan: Date): Promise<number> =>
  store.pruneIdempotencyRecords(olderThan.toISOString());
