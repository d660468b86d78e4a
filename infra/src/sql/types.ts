/**
 * The read-model database port: a small SQL surface both SQLite and PostgreSQL speak. Statements use
 * `$1, $2 …` placeholders on both dialects. Checkpoints, inboxes and projections live here so that a
 * handler's writes and its checkpoint commit in one transaction.
 */
export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlExecutor {
  readonly dialect: SqlDialect;
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<{ rowCount: number }>;
}

export interface SqlDatabase extends SqlExecutor {
  /** Runs `fn` in one transaction; commits if it resolves, rolls back if it throws. Not reentrant. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
