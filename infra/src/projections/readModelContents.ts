import type { SqlExecutor } from '../sql/types.js';

/**
 * Every row of `tables` in a stable order (every column sorts), and the tables' indexes: what a
 * reader of a read model sees, for comparing a rebuilt read model with one built event by event.
 */
export async function readModelContents(
  db: SqlExecutor,
  tables: readonly string[],
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const [first] = await db.query<Record<string, unknown>>(`SELECT * FROM ${table} LIMIT 1`);
    const order = first ? Object.keys(first).map((_, i) => String(i + 1)) : ['1'];
    out[table] = await db.query(`SELECT * FROM ${table} ORDER BY ${order.join(', ')}`);
  }
  const list = tables.map((t) => `'${t}'`).join(', ');
  out.indexes =
    db.dialect === 'sqlite'
      ? await db.query(
          `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (${list}) ORDER BY name`,
        )
      : (
          await db.query<{ indexname: string; tablename: string; indexdef: string }>(
            `SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (${list}) ORDER BY indexname`,
          )
        ).map((i) => ({ ...i, indexdef: i.indexdef.replace(/ ON [\w$]+\./, ' ON ') }));
  return out;
}
