import { keyedRounds } from '@estia/infra/projections/keyedRounds.js';
import { insertRows, updateRows, withIdChunks, type Column } from '@estia/infra/sql/multiRow.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { byShape, shapeColumns, shapeOf } from './columnMasks.js';
import { INTEGER_COLUMNS, KEY_COLUMNS, type RowWrite, type Table } from './rowWrites.js';

type Upsert = Extract<RowWrite, { op: 'upsert' }>;
type Update = Extract<RowWrite, { op: 'update' }>;
type Delete = Extract<RowWrite, { op: 'delete' }>;
type FollowUp = Extract<RowWrite, { op: 'followUp' }>;

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

/** A statement and the values a write of its shape binds to it, in the order of its placeholders. */
interface Bound {
  sql: string;
  params: (w: RowWrite) => unknown[];
}

const valuesOf = (row: Record<string, unknown>, columns: readonly string[]): unknown[] => columns.map((c) => row[c]);

const oneByOne = byShape<Bound>((w) => {
  const { insert, set } = shapeColumns(w);
  const key = KEY_COLUMNS[w.table][0]!;
  switch (w.op) {
    case 'upsert': {
      const values = insert.map((_, i) => `$${i + 1}`).join(', ');
      return {
        sql: `INSERT INTO ${w.table} (${insert.join(', ')}) VALUES (${values}) ${conflict(w.table, set)}`,
        params: (u) => valuesOf((u as Upsert).insert, insert),
      };
    }
    case 'update':
      return {
        sql: `UPDATE ${w.table} SET ${set.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE ${key} = $1`,
        params: (u) => [(u as Update).id, ...valuesOf((u as Update).set, set)],
      };
    case 'delete':
      return { sql: `DELETE FROM ${w.table} WHERE ${key} = $1`, params: (d) => [(d as Delete).id] };
    case 'followUp':
      return {
        sql: `UPDATE ${w.table} SET follow_ups = ${followUpsAfter('follow_ups', '$2', 'sqlite')},
               status = ${statusAfterFollowUp('status', '$3')}, revision = $4, updated_at = $5
             WHERE application_id = $1`,
        params: (f) => {
          const { id, month, stillEmployed, revision, at } = f as FollowUp;
          return [id, month, stillEmployed, revision, at];
        },
      };
  }
});

/**
 * A batch's folded writes (foldWrites.ts) on SQLite: one statement each, in order. A statement is an
 * in-process call on a cached prepared statement, cheaper one by one than multi-row bookkeeping.
 */
export async function applyOneByOne(tx: SqlExecutor, writes: readonly RowWrite[]): Promise<void> {
  for (const w of writes) {
    const { sql, params } = oneByOne(w);
    await tx.execute(sql, params(w));
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
    const shapes = new Map<number, RowWrite[]>();
    for (const w of round) {
      const shape = shapeOf(w);
      const list = shapes.get(shape);
      if (list) list.push(w);
      else shapes.set(shape, [w]);
    }
    for (const [shape, list] of shapes) await applyShape(tx, list, shape);
  }
}

/** How a shape's writes go as one set-based statement: its parts, built once, and a write's row of values. */
type SetBased =
  | { op: 'insert'; into: string; tail: string; row: (w: RowWrite) => unknown[] }
  | { op: 'update'; table: Table; columns: Column[]; set: string; row: (w: RowWrite) => unknown[] }
  | { op: 'delete'; statement: string };

const followUpColumns: Column[] = [
  ['application_id', 'TEXT'],
  ['month', 'TEXT'],
  ['still_employed', 'INTEGER'],
  ['revision', 'INTEGER'],
  ['updated_at', 'TEXT'],
];

const setBased = byShape<SetBased>((w) => {
  const { insert, set } = shapeColumns(w);
  const table = w.table;
  const key = KEY_COLUMNS[table][0]!;
  switch (w.op) {
    case 'upsert':
      return {
        op: 'insert',
        into: `${table} (${insert.join(', ')})`,
        tail: conflict(table, set),
        row: (u) => valuesOf((u as Upsert).insert, insert),
      };
    case 'update':
      return {
        op: 'update',
        table,
        columns: typed([key, ...set]),
        set: set.map((c) => `${c} = v.${c}`).join(', '),
        row: (u) => [(u as Update).id, ...valuesOf((u as Update).set, set)],
      };
    case 'delete':
      return { op: 'delete', statement: `DELETE FROM ${table} WHERE ${key} IN (%IDS%)` };
    case 'followUp':
      return {
        op: 'update',
        table,
        columns: followUpColumns,
        // Set-based writes are PostgreSQL's (SQLite's go one by one, above).
        set: `follow_ups = ${followUpsAfter(`${table}.follow_ups`, 'v.month', 'postgres')},
        status = ${statusAfterFollowUp(`${table}.status`, 'v.still_employed')},
        revision = v.revision, updated_at = v.updated_at`,
        row: (f) => {
          const { id, month, stillEmployed, revision, at } = f as FollowUp;
          return [id, month, stillEmployed, revision, at];
        },
      };
  }
});

async function applyShape(tx: SqlExecutor, writes: readonly RowWrite[], shape: number): Promise<void> {
  const statement = setBased(writes[0]!, shape);
  switch (statement.op) {
    case 'insert':
      return insertRows(tx, statement.into, writes.map(statement.row), statement.tail);
    case 'update':
      return updateRows(tx, statement.table, statement.columns, statement.set, writes.map(statement.row));
    case 'delete':
      return withIdChunks(
        tx,
        statement.statement,
        writes.map((w) => (w as Delete).id),
      );
  }
}
