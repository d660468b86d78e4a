/**
 * Rewrites `$1..$n` placeholders to SQLite's anonymous `?`, leaving string literals, quoted
 * identifiers and comments alone (a `$1` inside `'...'` is data, not a parameter). Returns the
 * rewritten SQL and, for each `?` in turn, the number of the parameter it takes (a `$1` used twice is
 * bound twice). Anonymous rather than numbered `?n`: better-sqlite3 binds `?n` by name, and SQLite
 * looks a name up by scanning the statement's parameters, so a multi-row statement with thousands of
 * them bound in time quadratic in their count.
 */
export const toSqlitePlaceholders = (sql: string): { sql: string; order: number[] } => {
  const order: number[] = [];
  return { sql: replacePlaceholders(sql, (n) => (order.push(n), '?')), order };
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
