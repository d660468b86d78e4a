import { createHash } from 'node:crypto';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onSendHookHandler,
  preHandlerAsyncHookHandler,
} from 'fastify';
import { AppError } from '../errors/appError.js';
import { canonicalJson } from '../eventStore/canonicalJson.js';
import type { SqlDatabase } from '../sql/types.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A creating POST: honour `Idempotency-Key` (replay the stored response for a retry). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | undefined;
  }
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

export interface IdempotencyOptions {
  db: SqlDatabase;
  /** How long a completed response is replayable. Default 24 h. */
  retentionMs?: number;
  /**
   * An in-progress key older than this is taken over by the next request (its first holder died).
   * Default 60 s; keep it above the longest request time.
   */
  lockTimeoutMs?: number;
  now?: () => number;
}

/** Response headers worth replaying (the body refers to them: where the resource is, its version). */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

export const IDEMPOTENCY_TABLE_DDL = `CREATE TABLE IF NOT EXISTS estia_idempotency (
  scope TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  status_code INTEGER,
  headers TEXT,
  body TEXT,
  locked_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (scope, idem_key)
)`;

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

interface Row {
  request_hash: string;
  state: string;
  status_code: number | null;
  headers: string | null;
  body: string | null;
  locked_at: number;
  expires_at: number;
}

/**
 * Idempotency-Key for creating POSTs (route config `idempotent: true`). The key row is inserted
 * first, as in-progress, so of two concurrent duplicates only one runs the handler; the other gets
 * 409 "in progress". A 2xx response is stored and replayed; anything else releases the key, since
 * nothing was created and a retry should run again.
 */
export const registerIdempotency = async (app: FastifyInstance, options: IdempotencyOptions): Promise<void> => {
  const { db } = options;
  const retentionMs = options.retentionMs ?? 24 * 3600_000;
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const now = options.now ?? Date.now;
  await db.execute(IDEMPOTENCY_TABLE_DDL);

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
    const hash = fingerprint(request);
    const t = now();

    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await db.execute(
        `INSERT INTO estia_idempotency (scope, idem_key, request_hash, state, locked_at, expires_at)
         VALUES ($1, $2, $3, 'in_progress', $4, $5) ON CONFLICT DO NOTHING`,
        [scope, key, hash, t, t + retentionMs],
      );
      if (inserted.rowCount === 1) {
        request.idempotency = { scope, key };
        return;
      }
      const [row] = await db.query<Row>(
        'SELECT request_hash, state, status_code, headers, body, locked_at, expires_at FROM estia_idempotency WHERE scope = $1 AND idem_key = $2',
        [scope, key],
      );
      if (!row) continue; // released between our insert and select: try once more
      if (Number(row.expires_at) <= t) {
        await db.execute('DELETE FROM estia_idempotency WHERE scope = $1 AND idem_key = $2 AND expires_at = $3', [
          scope,
          key,
          row.expires_at,
        ]);
        continue;
      }
      if (row.request_hash !== hash)
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request', {
          errors: [{ pointer: '/headers/idempotency-key', detail: 'was used for a different request' }],
        });
      if (row.state === 'in_progress') {
        // Take over a lock whose holder died; the conditional update lets only one taker win.
        if (Number(row.locked_at) + lockTimeoutMs <= t) {
          const taken = await db.execute(
            'UPDATE estia_idempotency SET locked_at = $1 WHERE scope = $2 AND idem_key = $3 AND state = $4 AND locked_at = $5',
            [t, scope, key, 'in_progress', row.locked_at],
          );
          if (taken.rowCount === 1) {
            request.idempotency = { scope, key };
            return;
          }
        }
        throw new AppError('CONFLICT', 'A request with this Idempotency-Key is in progress; retry later');
      }
      const headers = JSON.parse(row.headers ?? '{}') as Record<string, string>;
      await reply
        .code(row.status_code ?? 200)
        .headers({ ...headers, [IDEMPOTENT_REPLAYED_HEADER]: 'true' })
        .send(row.body ?? '');
      return reply;
    }
    throw new AppError('CONFLICT', 'A request with this Idempotency-Key is in progress; retry later');
  };

  const store: onSendHookHandler = async function storeIdempotentResponse(request, reply, payload) {
    const claimed = request.idempotency;
    if (!claimed) return payload;
    request.idempotency = undefined;
    if (
      reply.statusCode >= 200 &&
      reply.statusCode < 300 &&
      (typeof payload === 'string' || Buffer.isBuffer(payload) || payload == null)
    ) {
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      await db.execute(
        `UPDATE estia_idempotency SET state = 'completed', status_code = $1, headers = $2, body = $3 WHERE scope = $4 AND idem_key = $5`,
        [
          reply.statusCode,
          JSON.stringify(headers),
          payload == null ? '' : payload.toString(),
          claimed.scope,
          claimed.key,
        ],
      );
    } else {
      await db.execute('DELETE FROM estia_idempotency WHERE scope = $1 AND idem_key = $2', [
        claimed.scope,
        claimed.key,
      ]);
    }
    return payload;
  };

  // Claim after authentication and validation, and after the route's own preHandlers (permissions),
  // so a refused request never holds a key.
  app.addHook('onRoute', (route) => {
    if (route.config?.idempotent !== true) return;
    const pre =
      route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    const send = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.preHandler = [...pre, claim];
    route.onSend = [...send, store];
  });

  // A request that died before sending (aborted connection) must release its key.
  app.addHook('onResponse', async (request) => {
    const claimed = request.idempotency;
    if (!claimed) return;
    request.idempotency = undefined;
    await db.execute(`DELETE FROM estia_idempotency WHERE scope = $1 AND idem_key = $2 AND state = 'in_progress'`, [
      claimed.scope,
      claimed.key,
    ]);
  });
};

/** Deletes expired keys; call periodically (stored bodies may carry personal data: keep them short-lived). */
export const purgeExpiredIdempotencyKeys = async (db: SqlDatabase, now = Date.now()): Promise<number> =>
  (await db.execute('DELETE FROM estia_idempotency WHERE expires_at <= $1', [now])).rowCount;
