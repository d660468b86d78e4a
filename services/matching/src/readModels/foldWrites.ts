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
  const last = new Map<string, number>();
  for (const write of writes) {
    const at = last.get(write.key);
    const before = at === undefined ? undefined : out[at]!;
    const folded = before === undefined ? undefined : fold(before, write);
    if (folded !== undefined) {
      out[at!] = folded;
      continue;
    }
    last.set(write.key, out.length);
    out.push(write);
  }
  return out;
}

function fold(before: RowWrite, next: RowWrite): RowWrite | undefined {
  if (next.op !== 'update' && next.op !== 'upsert') return undefined;
  switch (before.op) {
    case 'update':
      if (next.op !== 'update') return undefined;
      return { ...before, set: { ...before.set, ...next.set }, json: { ...before.json, ...next.json } };
    case 'upsert':
      return {
        ...before,
        insert: { ...before.insert, ...next.set },
        set: { ...before.set, ...next.set },
        json: { ...before.json, ...next.json },
      };
    default:
      return undefined;
  }
}
