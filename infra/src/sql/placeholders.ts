/**
 * Rewrites `$1..$n` placeholders to SQLite's numbered `?1..?n`, leaving string literals, quoted
 * identifiers and comments alone (a `$1` inside `'...'` is data, not a parameter).
 * Returns the rewritten SQL and the parameter numbers it references.
 */
export const toSqlitePlaceholders = (sql: string): { sql: string; indexes: Set<number> } => {
  const indexes = new Set<number>();
  return { sql: replacePlaceholders(sql, (n) => (indexes.add(n), `?${n}`)), indexes };
};

/** Replaces each `$n` outside literals, quoted identifiers and comments with `render(n)`. */
export const replacePlaceholders = (sql: string, render: (n: number) => string): string => {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = closingQuote(sql, i, ch);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      const end = nl === -1 ? sql.length : nl;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close === -1 ? sql.length : close + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '$' && isDigit(sql[i + 1])) {
      let j = i + 1;
      while (isDigit(sql[j])) j++;
      out += render(Number(sql.slice(i + 1, j)));
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Index just past the closing quote; a doubled quote is an escaped one. */
const closingQuote = (sql: string, start: number, quote: string): number => {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
};
