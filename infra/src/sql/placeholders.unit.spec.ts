import { describe, expect, it } from 'vitest';
import { toSqlitePlaceholders } from './placeholders.js';

describe('toSqlitePlaceholders', () => {
  it('rewrites $n to ? and lists the number each ? takes, in order', () => {
    const { sql, order } = toSqlitePlaceholders('SELECT * FROM t WHERE a = $1 AND b = $12 OR c = $1');
    expect(sql).toBe('SELECT * FROM t WHERE a = ? AND b = ? OR c = ?');
    expect(order).toEqual([1, 12, 1]);
  });

  it('skips string literals (with doubled quotes), quoted identifiers and comments', () => {
    const input = `SELECT 'it''s $1', "col$2", $3 -- $4\n/* $5 */ FROM t`;
    const { sql, order } = toSqlitePlaceholders(input);
    expect(sql).toBe(`SELECT 'it''s $1', "col$2", ? -- $4\n/* $5 */ FROM t`);
    expect(order).toEqual([3]);
  });

  it('leaves a lone $ alone', () => {
    expect(toSqlitePlaceholders('SELECT $ AS x').sql).toBe('SELECT $ AS x');
  });
});
