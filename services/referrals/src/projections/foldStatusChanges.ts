import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { type PreparedEvent, referralRequestedRow, statusChangeRow, withStatusChange } from './referralsProjector.js';

/** A prepared event, or a referral sent with the status changes that followed it folded into its row. */
export type BatchItem = PreparedEvent & { referralRow?: unknown[] };

interface Chain {
  item: BatchItem;
  row: unknown[];
  folded: Set<BatchItem>;
}

/**
 * Most referrals are sent and then answered, started or closed soon after, often in one batch: rather
 * than inserting the row and then updating it once per change, the changes that directly follow the
 * sending (plain status changes, nothing else for that referral in between) are applied to the row
 * before it is inserted. Exactly what the insert and the updates would leave, hence only for referrals
 * not in the table yet: for one that is (a sent event seen again), the insert does nothing and the
 * updates must apply to the row that is there, so its events stay as they are.
 */
export async function foldStatusChanges(tx: SqlExecutor, prepared: readonly PreparedEvent[]): Promise<BatchItem[]> {
  const open = new Map<string, Chain>();
  const seen = new Set<string>();
  const chains: Chain[] = [];
  const items: BatchItem[] = prepared.map((p) => ({ ...p }));
  for (const item of items) {
    const { type, data } = item.event;
    const referralId = (data as { referralId?: unknown }).referralId;
    if (!type.startsWith('Referral') || typeof referralId !== 'string') continue;
    const chain = open.get(referralId);
    const change = chain ? statusChangeRow(item.event) : undefined;
    if (chain && change) {
      chain.row = withStatusChange(chain.row, change);
      chain.folded.add(item);
      continue;
    }
    open.delete(referralId);
    if (type !== 'ReferralRequested' || seen.has(referralId)) continue;
    seen.add(referralId);
    const started = {
      item,
      row: referralRequestedRow(data as Parameters<typeof referralRequestedRow>[0]),
      folded: new Set<BatchItem>(),
    };
    open.set(referralId, started);
    chains.push(started);
  }
  const folding = chains.filter((c) => c.folded.size > 0);
  if (folding.length === 0) return items;
  const present = await existingReferrals(
    tx,
    folding.map((c) => c.row[0] as string),
  );
  const dropped = new Set<BatchItem>();
  for (const chain of folding) {
    if (present.has(chain.row[0] as string)) continue;
    chain.item.referralRow = chain.row;
    for (const item of chain.folded) dropped.add(item);
  }
  return items.filter((item) => !dropped.has(item));
}

const CHUNK = 500;

async function existingReferrals(tx: SqlExecutor, ids: readonly string[]): Promise<Set<string>> {
  const present = new Set<string>();
  // One array parameter: an IN list of 500 parameters cost PostgreSQL more to plan than to answer.
  if (tx.dialect === 'postgres') {
    const rows = await tx.query<{ referral_id: string }>(
      'SELECT referral_id FROM rf_referrals WHERE referral_id = ANY($1::text[])',
      [ids],
    );
    for (const r of rows) present.add(r.referral_id);
    return present;
  }
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await tx.query<{ referral_id: string }>(
      `SELECT referral_id FROM rf_referrals WHERE referral_id IN (${chunk.map((_, n) => `$${n + 1}`).join(', ')})`,
      chunk,
    );
    for (const r of rows) present.add(r.referral_id);
  }
  return present;
}
