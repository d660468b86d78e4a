import { parameterText } from '../sql/parameterText.js';
import { replacePlaceholders } from '../sql/placeholders.js';
import type { StoredEvent } from '../eventStore/types.js';
import type { Projection } from './projection.js';
import type { SqlExecutor } from '../sql/types.js';

/** Statements sent in one round trip at most (bounds the text PostgreSQL parses at once). */
const MAX_STATEMENTS = 1000;
const MAX_CHARS = 4_000_000;

/**
 * A projection batch's writes, sent to PostgreSQL together: `execute` queues the statement (its
 * parameters rendered as quoted literals, which PostgreSQL types from context exactly as it types
 * untyped parameters) and resolves at once; a `query`, `flush` or the batch's end sends the queue as
 * one multi-statement round trip in the same transaction (a statement with a bulk parameter, an array or
 * a long text, goes on its own, bound, after the queue). So a batch of 500 events costs a handful of
 * round trips instead of one per write, and the checkpoint still commits with them. A failing
 * statement fails the flush, hence the batch's transaction. `execute` reports rowCount 0: only for
 * projections that never read it (Projection.batchWrites). On SQLite, where a statement is a
 * function call, `tx` is used as it is.
 */
export interface WriteBatch extends SqlExecutor {
  flush(): Promise<void>;
}

export function writeBatch(tx: SqlExecutor): WriteBatch {
  if (tx.dialect !== 'postgres') return Object.assign(Object.create(tx) as SqlExecutor, { flush: async () => {} });
  let queued: string[] = [];
  let chars = 0;
  // Statements go out without waiting for the ones before: the connection runs them in order, and the
  // projection meanwhile prepares the next (its rows, their JSON). Their outcome is awaited at a flush.
  let sent: Promise<unknown>[] = [];
  const send = (sql: string, params?: readonly unknown[]): void => {
    const done = tx.execute(sql, params);
    done.catch(() => undefined); // awaited (and so reported) by the next flush
    sent.push(done);
  };
  const sendQueued = (): void => {
    if (queued.length === 0) return;
    // No parameters: the simple-query protocol, which takes several statements in one message.
    send(queued.join(';\n'));
    queued = [];
    chars = 0;
  };
  const flush = async (): Promise<void> => {
    sendQueued();
    const waiting = sent;
    sent = [];
    await Promise.all(waiting);
  };
  return {
    dialect: tx.dialect,
    async query(sql, params) {
      await flush();
      return tx.query(sql, params);
    },
    async execute(sql, params = []) {
      // Set-based statements (multiRow.ts) bind a batch's rows as arrays or one JSON document: inlined,
      // they would be escaped once more and lexed as a huge literal; bound, they are sent as they are.
      if (params.some(isBulk)) {
        sendQueued();
        send(sql, params);
        return { rowCount: 0 };
      }
      const statement = inlineParameters(sql, params);
      queued.push(statement);
      chars += statement.length;
      if (queued.length >= MAX_STATEMENTS || chars >= MAX_CHARS) sendQueued();
      return { rowCount: 0 };
    },
    flush,
  };
}

const BULK_CHARS = 8192;
const isBulk = (value: unknown): boolean =>
  Array.isArray(value) || (typeof value === 'string' && value.length > BULK_CHARS);

/** `$n` → the n-th parameter as a PostgreSQL literal (as node-postgres would send it, but inline). */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  return replacePlaceholders(sql, (n) => {
    if (n < 1 || n > params.length) throw new Error(`statement uses $${n} but has ${params.length} parameters`);
    return literal(params[n - 1]);
  });
}

export function literal(value: unknown): string {
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'::bytea`;
  const text = parameterText(value);
  return text === null ? 'NULL' : quote(text);
}

/**
 * A string literal read the same whatever standard_conforming_strings says: quotes doubled, and with
 * a backslash, an escape-string literal (E'…') with the backslashes doubled.
 */
const quote = (text: string): string => {
  const quoted = text.replaceAll("'", "''");
  return text.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
};

/** Runs a projection's `handle` on one batch, its writes sent together when it allows it. */
export async function handleBatch(
  projection: Pick<Projection, 'handle' | 'batchWrites'>,
  tx: SqlExecutor,
  events: readonly StoredEvent[],
): Promise<void> {
  if (!projection.batchWrites) return projection.handle(tx, events);
  const batch = writeBatch(tx);
  await projection.handle(batch, events);
  await batch.flush();
}
