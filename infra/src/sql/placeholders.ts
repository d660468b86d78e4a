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

/**
 * Replaces each `$n` outside literals, quoted identifiers and comments with `render(n)`. Copies the text
 * between placeholders in slices: a write batch renders statements of thousands of parameters, and a
 * string grown a character at a time cost it more than the statements' own work (and the GC with it).
 */
export const replacePlaceholders = (sql: string, render: (n: number) => string): string => {
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql.charCodeAt(i);
    if (ch === QUOTE || ch === DOUBLE_QUOTE || ch === BACKTICK) i = closingQuote(sql, i, sql[i]!);
    else if (ch === DASH && sql.charCodeAt(i + 1) === DASH) {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl;
    } else if (ch === SLASH && sql.charCodeAt(i + 1) === STAR) {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (ch === DOLLAR && isDigit(sql.charCodeAt(i + 1))) {
      let j = i + 1;
      while (isDigit(sql.charCodeAt(j))) j++;
      parts.push(sql.slice(copied, i), render(Number(sql.slice(i + 1, j))));
      copied = i = j;
    } else i++;
  }
  if (copied === 0) return sql;
  parts.push(sql.slice(copied));
  return parts.join('');
};

const code = (c: string): number => c.charCodeAt(0);
const [QUOTE, DOUBLE_QUOTE, BACKTICK, DASH, SLASH, STAR, DOLLAR] = ["'", '"', '`', '-', '/', '*', '$'].map(code);
const [ZERO, NINE] = [code('0'), code('9')] as const;

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/** Index just past the closing quote; a doubled quote is an escaped one. */
const closingQuote = (sql: string, start: number, quote: string): number => {
  for (let i = start + 1; ;) {
    const at = sql.indexOf(quote, i);
    if (at === -1) return sql.length;
    if (sql[at + 1] !== quote) return at + 1;
    i = at + 2;
  }
};
