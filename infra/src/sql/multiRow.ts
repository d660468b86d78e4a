import { parameterText } from './parameterText.js';
import type { SqlExecutor } from './types.js';

/**
 * Multi-row statements both SQLite and PostgreSQL speak, for projections that write a batch's rows
 * with one statement per table instead of one per row (PostgreSQL parses and plans each statement;
 * SQLite steps each one). On SQLite rows go as VALUES lists in chunks, which keeps a statement under
 * its parameter limit. On PostgreSQL all the rows go as one statement whose few parameters carry them
 * (rows as one JSON document): a VALUES list of 500 rows is thousands of parameters to render and for
 * the server to parse, where a document is one value, written and read in one pass.
 */
const ROWS_PER_STATEMENT = 500;

/** A column of a VALUES list and the SQL type its values are read as (PostgreSQL types them from it). */
export type Column = readonly [name: string, type: 'TEXT' | 'INTEGER' | 'BIGINT' | 'DOUBLE PRECISION'];

/** `table (column, …)`: insertRows' `into` for these columns. */
export const into = (table: string, columns: readonly Column[]): string =>
  `${table} (${columns.map(([name]) => name).join(', ')})`;

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) out.push(items.slice(i, i + ROWS_PER_STATEMENT));
  return out;
};

/**
 * `(…), (…)` with the rows' placeholders appended to `params`; with `columns`, the first row's values
 * are cast to their types. PostgreSQL gives a VALUES column the type of its first typed row, where the
 * values of an INSERT … VALUES take the target's types but those of a FROM (VALUES …) would be text.
 */
function valuesList(rows: readonly (readonly unknown[])[], params: unknown[], columns?: readonly Column[]): string {
  return rows
    .map((row, r) =>
      row
        .map((value, c) => {
          params.push(value);
          const type = r === 0 ? columns?.[c]?.[1] : undefined;
          return type ? `CAST($${params.length} AS ${type})` : `$${params.length}`;
        })
        .join(', '),
    )
    .map((row) => `(${row})`)
    .join(', ');
}

/** `table (column, …)`, the form of insertRows' `into`. */
const INTO = /^\s*([A-Za-z_][\w$]*)\s*\(([^()]*)\)\s*$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

const rowObject = (names: readonly string[], row: readonly unknown[]): Record<string, string | null> => {
  if (row.length !== names.length) throw new Error(`a row of ${row.length} values for ${names.length} columns`);
  const object: Record<string, string | null> = {};
  for (let i = 0; i < names.length; i++) object[names[i]!] = parameterText(row[i]);
  return object;
};

/** `INSERT INTO <into> VALUES (…), (…) <tail>`: `into` names the table and its columns, `tail` an ON CONFLICT. */
export async function insertRows(
  tx: SqlExecutor,
  into: string,
  rows: readonly (readonly unknown[])[],
  tail = '',
): Promise<void> {
  if (rows.length === 0) return;
  const target = tx.dialect === 'postgres' ? INTO.exec(into) : null;
  const names = target?.[2]!.split(',').map((name) => name.trim().toLowerCase());
  if (target && names!.every((name) => IDENTIFIER.test(name))) {
    // The table's row type types each value as its column, as it types a literal in VALUES.
    const json = JSON.stringify(rows.map((row) => rowObject(names!, row)));
    await tx.execute(
      `INSERT INTO ${into} SELECT ${names!.join(', ')} FROM json_populate_recordset(NULL::${target[1]}, $1::json) ${tail}`,
      [json],
    );
    return;
  }
  for (const chunk of chunks(rows)) {
    const params: unknown[] = [];
    await tx.execute(`INSERT INTO ${into} VALUES ${valuesList(chunk, params)} ${tail}`, params);
  }
}

/**
 * `UPDATE <table> SET … FROM (VALUES …) WHERE <table>.<key> = v.<key>`: each row updates the row
 * whose key is its first value. `set` assigns from `v.<column>` (and constants). Rows must have
 * distinct keys: a target row matched twice would take either value.
 */
export async function updateRows(
  tx: SqlExecutor,
  table: string,
  columns: readonly Column[],
  set: string,
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const key = columns[0]![0];
  if (rows.length === 0) return;
  if (tx.dialect === 'postgres') {
    const names = columns.map(([name]) => name.toLowerCase());
    const json = JSON.stringify(rows.map((row) => rowObject(names, row)));
    const typed = columns.map(([name, type]) => `${name} ${type}`).join(', ');
    await tx.execute(
      `UPDATE ${table} SET ${set} FROM json_to_recordset($1::json) AS v(${typed}) WHERE ${table}.${key} = v.${key}`,
      [json],
    );
    return;
  }
  const names = columns.map(([name], i) => `column${i + 1} AS ${name}`).join(', ');
  for (const chunk of chunks(rows)) {
    const params: unknown[] = [];
    const values = valuesList(chunk, params, columns);
    await tx.execute(
      `UPDATE ${table} SET ${set} FROM (SELECT ${names} FROM (VALUES ${values}) AS x) AS v WHERE ${table}.${key} = v.${key}`,
      params,
    );
  }
}

/** `statement` once per chunk of `ids`, its `%IDS%` replaced by the chunk's placeholders (`… IN (%IDS%)`). */
export async function withIdChunks(tx: SqlExecutor, statement: string, ids: readonly unknown[]): Promise<void> {
  if (ids.length === 0) return;
  if (tx.dialect === 'postgres' && statement.includes('IN (%IDS%)') && ids.every((id) => typeof id === 'string')) {
    // An array rather than a subquery, so the planner sees a list to look up in an index whatever its
    // statistics say (a rebuild writes before any ANALYZE).
    await tx.execute(statement.replaceAll('IN (%IDS%)', '= ANY($1::text[])'), [ids]);
    return;
  }
  for (const chunk of chunks(ids))
    await tx.execute(statement.replaceAll('%IDS%', chunk.map((_, i) => `$${i + 1}`).join(', ')), chunk);
}
