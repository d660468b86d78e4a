import type { RowWrite } from './rowWrites.js';

/**
 * A row's writes of one batch, folded where one statement leaves the row as the two it replaces
 * would (writes of different rows commute, so only a row's own order matters):
 * - update then update: one update, the later value of a column winning;
 * - upsert then update or upsert: one upsert inserting the first insert with the later assignments
 *   over it, and assigning both writes' assignments when the row was there (what the first left is
 *   what the second reads: missing, the first inserted it; there, the first assigned over it).
 * An update then an upsert stays two (the update's assignments would be lost on an insert), and a
 * delete or a follow-up (which reads the row) is never folded. So a candidate's consent, legal status
 * and profile in one batch are one INSERT, an application's proposal and moves along the pipeline one.
 * Returns the writes in the order of each one's first event, a row's still in its log order.
 */
export function foldWrites(writes: Iterable<RowWrite>): RowWrite[] {
  const out: RowWrite[] = [];
  const last = new Map<string, RowWrite>();
  for (const write of writes) {
    const before = last.get(write.key);
    if (before !== undefined && foldInto(before, write)) continue;
    last.set(write.key, write);
    out.push(write);
  }
  return out;
}

/**
 * Folds `next` into `before` in place (a batch's writes are its own, made for it by rowWriteOf), or
 * says it cannot. Object.assign keeps the columns in the order they came, new ones after.
 */
function foldInto(before: RowWrite, next: RowWrite): boolean {
  if (next.op !== 'update' && next.op !== 'upsert') return false;
  if (before.op === 'upsert') Object.assign(before.insert, next.set);
  else if (before.op !== 'update' || next.op !== 'update') return false;
  Object.assign(before.set, next.set);
  Object.assign(before.json, next.json);
  return true;
}
