import { keyedRounds } from '@estia/infra/projections/keyedRounds.js';
import { insertRows, updateRows, withIdChunks, type Column } from '@estia/infra/sql/multiRow.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { INTEGER_COLUMNS, KEY_COLUMNS, type RowWrite, type Table } from './rowWrites.js';

type Upsert = Extract<RowWrite, { op: 'upsert' }>;
type Update = Extract<RowWrite, { op: 'update' }>;

// The list is only ever written by this projection, as JSON.stringify prints it: the month goes in
// as JSON.stringify would print the list with it.
const followUpsAfter = (list: string, month: string, dialect: SqlExecutor['dialect']) =>
  `CASE WHEN ${list} = '[]' THEN '[' || ${month} || ']'
     ELSE ${dialect === 'postgres' ? `left(${list}, -1)` : `substr(${list}, 1, length(${list}) - 1)`} || ',' || ${month} || ']' END`;
const statusAfterFollowUp = (status: string, stillEmployed: string) =>
  `CASE WHEN ${stillEmployed} = 1 THEN ${status} ELSE 'employment_ended' END`;

const conflict = (table: Table, set: readonly string[]) =>
  `ON CONFLICT (${KEY_COLUMNS[table].join(', ')}) ` +
  (set.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${set.map((c) => `${c} = excluded.${c}`).join(', ')}`);

/** A statement's text by the shape of its writes (table and columns): built once, not per row. */
const texts = new Map<string, string>();
const text = (shape: string, build: () => string): string => {
  let sql = texts.get(shape);
  if (sql === undefined) texts.set(shape, (sql = build()));
  return sql;
};

const shapeOf = (w: RowWrite): string =>
  w.op === 'upsert'
    ? `${w.table} ${w.op} ${Object.keys(w.insert).join()} ${Object.keys(w.set).join()}`
    : w.op === 'update'
      ? `${w.table} ${w.op} ${Object.keys(w.set).join()}`
      : `${w.table} ${w.op}`;

/**
 * A batch's folded writes (foldWrites.ts) on SQLite: one statement each, in order. A statement is an
 * in-process call on a cached prepared statement, cheaper one by one than multi-row bookkeeping.
 */
export async function applyOneByOne(tx: SqlExecutor, writes: readonly RowWrite[]): Promise<void> {
  for (const w of writes) {
    const shape = shapeOf(w);
    switch (w.op) {
      case 'upsert': {
        const sql = text(shape, () => {
          const columns = Object.keys(w.insert);
          const values = columns.map((_, i) => `$${i + 1}`).join(', ');
          return `INSERT INTO ${w.table} (${columns.join(', ')}) VALUES (${values}) ${conflict(w.table, Object.keys(w.set))}`;
        });
        await tx.execute(sql, Object.values(w.insert));
        break;
      }
      case 'update': {
        const sql = text(shape, () => {
          const set = Object.keys(w.set).map((c, i) => `${c} = $${i + 2}`);
          return `UPDATE ${w.table} SET ${set.join(', ')} WHERE ${KEY_COLUMNS[w.table][0]} = $1`;
        });
        await tx.execute(sql, [w.id, ...Object.values(w.set)]);
        break;
      }
      case 'delete':
        await tx.execute(`DELETE FROM ${w.table} WHERE ${KEY_COLUMNS[w.table][0]} = $1`, [w.id]);
        break;
      case 'followUp': {
        const sql = text(
          shape,
          () =>
            `UPDATE ${w.table} SET follow_ups = ${followUpsAfter('follow_ups', '$2', 'sqlite')},
               status = ${statusAfterFollowUp('status', '$3')}, revision = $4, updated_at = $5
             WHERE application_id = $1`,
        );
        await tx.execute(sql, [w.id, w.month, w.stillEmployed, w.revision, w.at]);
        break;
      }
    }
  }
}

const typed = (names: readonly string[]): Column[] =>
  names.map((name) => [name, INTEGER_COLUMNS.has(name) ? 'INTEGER' : 'TEXT'] as const);

/**
 * A batch's folded writes on PostgreSQL, where each statement is parsed and planned: a round at a
 * time (keyedRounds.ts), each shape of write one set-based statement over the round's rows. Within a
 * round no two writes name the same row, so their statements commute.
 */
export async function applyInRounds(tx: SqlExecutor, writes: readonly RowWrite[]): Promise<void> {
  for (const round of keyedRounds(writes, (w) => w.key)) {
    const shapes = new Map<string, RowWrite[]>();
    for (const w of round) {
      const shape = shapeOf(w);
      const list = shapes.get(shape);
      if (list) list.push(w);
      else shapes.set(shape, [w]);
    }
    for (const list of shapes.values()) await applyShape(tx, list);
  }
}

async function applyShape(tx: SqlExecutor, writes: readonly RowWrite[]): Promise<void> {
  const first = writes[0]!;
  const table = first.table;
  switch (first.op) {
    case 'upsert': {
      const columns = Object.keys(first.insert);
      const rows = (writes as Upsert[]).map((w) => Object.values(w.insert));
      return insertRows(tx, `${table} (${columns.join(', ')})`, rows, conflict(table, Object.keys(first.set)));
    }
    case 'update': {
      const names = Object.keys(first.set);
      const key = KEY_COLUMNS[table][0]!;
      const rows = (writes as Update[]).map((w) => [w.id, ...Object.values(w.set)]);
      const set = names.map((c) => `${c} = v.${c}`).join(', ');
      return updateRows(tx, table, typed([key, ...names]), set, rows);
    }
    case 'delete':
      return withIdChunks(
        tx,
        `DELETE FROM ${table} WHERE ${KEY_COLUMNS[table][0]} IN (%IDS%)`,
        writes.map((w) => (w as { id: string }).id),
      );
    case 'followUp': {
      const rows = writes.map((w) => {
        const f = w as Extract<RowWrite, { op: 'followUp' }>;
        return [f.id, f.month, f.stillEmployed, f.revision, f.at];
      });
      const list = `${table}.follow_ups`;
      const set = `follow_ups = ${followUpsAfter(list, 'v.month', tx.dialect)},
        status = ${statusAfterFollowUp(`${table}.status`, 'v.still_employed')},
        revision = v.revision, updated_at = v.updated_at`;
      return updateRows(
        tx,
        table,
        [
          ['application_id', 'TEXT'],
          ['month', 'TEXT'],
          ['still_employed', 'INTEGER'],
          ['revision', 'INTEGER'],
          ['updated_at', 'TEXT'],
        ],
        set,
        rows,
      );
    }
  }
}
