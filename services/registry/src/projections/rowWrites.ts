import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { insertRows, updateRows, withIdChunks, type Column as ValuesColumn } from '@estia/infra/sql/multiRow.js';

/**
 * The directory's set-based writes: a round's rows of one kind in one statement. On PostgreSQL the
 * rows travel as one JSON array parameter, unpacked by the server (jsonb_array_elements), whatever
 * their number: a VALUES list of literals cost the client a placeholder and a quoted literal per value
 * (most of a rebuild's client time) and the server a parse of them all, where JSON.stringify and the
 * server's JSON parser do it natively. On SQLite, where a prepared multi-row statement binds its
 * values without text, they stay VALUES lists (multiRow.ts).
 */
/** A column and the SQL type its JSON values are read as. */
export type Column = readonly [name: string, type: UpdateColumn[1] | 'BIGINT'];
/** Updated columns are cast on SQLite too (multiRow.ts), to the types both stores know. */
export type UpdateColumn = ValuesColumn;

/** `(e->>0)::TEXT, (e->>1)::INTEGER, …`: the JSON row's values as the columns' types, aliased to their names. */
const unpacked = (columns: readonly Column[]): string =>
  columns.map(([name, type], i) => `CAST(e->>${i} AS ${type}) AS ${name}`).join(', ');

const elements = 'jsonb_array_elements(CAST($1 AS jsonb)) AS e';

/** `INSERT INTO <table> (<columns>) … <tail>` (tail: an ON CONFLICT clause). */
export async function insertMany(
  tx: SqlExecutor,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  tail = '',
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  if (tx.dialect !== 'postgres') return insertRows(tx, `${table} (${names})`, rows, tail);
  await tx.execute(`INSERT INTO ${table} (${names}) SELECT ${unpacked(columns)} FROM ${elements} ${tail}`, [
    JSON.stringify(rows),
  ]);
}

/**
 * Each row updates the row of `table` whose key is its first value; `set` assigns from `v.<column>`
 * (and constants). Rows must have distinct keys, a target row matched twice taking either value.
 */
export async function updateMany(
  tx: SqlExecutor,
  table: string,
  columns: readonly UpdateColumn[],
  set: string,
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  if (tx.dialect !== 'postgres') return updateRows(tx, table, columns, set, rows);
  const key = columns[0]![0];
  await tx.execute(
    `UPDATE ${table} SET ${set} FROM (SELECT ${unpacked(columns)} FROM ${elements}) AS v WHERE ${table}.${key} = v.${key}`,
    [JSON.stringify(rows)],
  );
}

/** `statement` with its `IN (%IDS%)` standing for membership in the ids: `… WHERE service_id IN (%IDS%)`. */
export async function withIds(tx: SqlExecutor, statement: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  if (tx.dialect !== 'postgres') return withIdChunks(tx, statement, ids);
  if (!statement.includes('IN (%IDS%)')) throw new Error(`no IN (%IDS%) in ${statement}`);
  // An array rather than a subquery, so the planner sees a list to look up in an index whatever its
  // statistics say (a rebuild writes before any ANALYZE).
  await tx.execute(statement.replaceAll('IN (%IDS%)', '= ANY(CAST($1 AS TEXT[]))'), [textArray(ids)]);
}

/** A PostgreSQL array literal of strings: `{"a","b"}`, quotes and backslashes escaped. */
const textArray = (values: readonly string[]): string =>
  `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
