import { type PreparedEvent, referralRequestedRow, setStatusChange, statusChangeRow } from './referralsProjector.js';

/**
 * A prepared event, or a referral sent with the status changes that followed it folded into its row
 * (`referralRow`, written by referralsProjector's UPSERT_REFERRAL).
 */
export type BatchItem = PreparedEvent & { referralRow?: unknown[] };

type SentData = Parameters<typeof referralRequestedRow>[0];

/**
 * Most referrals are sent and then answered, started or closed soon after, often in one batch: rather
 * than inserting the row and then updating it once per change, the changes that directly follow the
 * sending (plain status changes, nothing else for that referral in between) are applied to the row
 * before it is written. Every plain change sets the same four columns (status, updated_at, reason_code,
 * outcome) whatever the row held, so the folded row is what the insert and the updates leave; and for
 * a referral already in the table (a sending seen again) the insert would do nothing and the updates
 * leave its row with the last change's four columns, which is what the upsert of the folded row sets
 * on conflict. So no lookup of which referrals exist: it cost a round trip per batch on PostgreSQL,
 * and made SQLite look every referral up once more.
 */
export function foldStatusChanges(prepared: readonly PreparedEvent[]): BatchItem[] {
  // Sendings whose referral has seen only plain status changes since, by referral id.
  const open = new Map<string, BatchItem>();
  const items: BatchItem[] = [];
  for (const p of prepared) {
    const { type, data } = p.event;
    const referralId = type.startsWith('Referral') ? (data as { referralId?: unknown }).referralId : undefined;
    if (typeof referralId !== 'string') {
      items.push(p);
      continue;
    }
    const sending = open.get(referralId);
    if (sending) {
      const change = statusChangeRow(p.event);
      if (change) {
        setStatusChange((sending.referralRow ??= referralRequestedRow(sending.event.data as SentData)), change);
        continue;
      }
      open.delete(referralId);
    }
    if (type === 'ReferralRequested') {
      const item: BatchItem = { ...p };
      open.set(referralId, item);
      items.push(item);
      continue;
    }
    items.push(p);
  }
  return items;
}
