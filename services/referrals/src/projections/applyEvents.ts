import { keyedRounds } from '@estia/infra/projections/keyedRounds.js';
import { foldStatusChanges, type BatchItem } from './foldStatusChanges.js';
import { inKeyOrder } from './inKeyOrder.js';
import { insertRows, updateRows, type Column } from '@estia/infra/sql/multiRow.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import {
  REFERRAL_COLUMNS,
  REFERRAL_CONFLICT,
  REFERRAL_UPSERT,
  UPSERT_REFERRAL,
  applyEvent,
  referralRequestedRow,
  statusChangeRow,
  type PreparedEvent,
} from './referralsProjector.js';

/**
 * Which rows an event writes. Each kind of event writes the rows of the one referral, access request,
 * need, consent or client it names (a need's assessment rows are its own), so events of different
 * keys commute (keyedRounds.ts). An erasure deletes across the client's case (messages, placements):
 * no key, so it is applied between what comes before and what comes after it.
 */
const KEY_FIELD: readonly (readonly [prefix: string, field: string])[] = [
  ['ClientErased', ''],
  ['Referral', 'referralId'],
  ['Access', 'accessRequestId'],
  ['Need', 'needId'],
  ['Consent', 'consentId'],
  ['Client', 'clientId'],
  ['LegalStatusChanged', 'clientId'],
];

const keyOf = ({ event }: BatchItem): string | null => {
  const found = KEY_FIELD.find(([prefix]) => event.type.startsWith(prefix));
  const id = found && found[1] ? (event.data as Record<string, unknown>)[found[1]] : undefined;
  return typeof id === 'string' ? `${found![1]}/${id}` : null;
};

const STATUS_COLUMNS: readonly Column[] = [
  ['referral_id', 'TEXT'],
  ['status', 'TEXT'],
  ['updated_at', 'TEXT'],
  ['reason_code', 'TEXT'],
  ['outcome', 'TEXT'],
];
const SET_STATUS = 'status = v.status, updated_at = v.updated_at, reason_code = v.reason_code, outcome = v.outcome';

/**
 * Applies prepared events in log order, as applyEvent one by one would, with the status changes that
 * follow a referral's sending in the batch folded into its row (foldStatusChanges.ts). On PostgreSQL a
 * round at a time: the bulk of a log (referrals sent, then answered, started, closed) as one multi-row
 * statement per round instead of one statement per event; the rarer kinds still one by one within
 * their round.
 */
export async function applyEvents(tx: SqlExecutor, prepared: readonly PreparedEvent[]): Promise<void> {
  const items = foldStatusChanges(prepared);
  // On SQLite a statement is an in-process call on a cached prepared statement: there the rounds'
  // bookkeeping cost more than the statements they save (bench:rebuild, 100k events: 83k events/s
  // one by one against 72k in rounds), so they are for PostgreSQL, where each statement is parsed.
  if (tx.dialect === 'sqlite') {
    for (const item of inKeyOrder(items, keyOf))
      if (item.referralRow) await tx.execute(UPSERT_REFERRAL, item.referralRow);
      else await applyEvent(tx, item);
    return;
  }
  for (const round of keyedRounds(items, keyOf)) {
    const requested: unknown[][] = [];
    const folded: unknown[][] = [];
    const statuses: unknown[][] = [];
    for (const item of inKeyOrder(round, keyOf)) {
      if (item.referralRow) {
        folded.push(item.referralRow);
        continue;
      }
      if (item.event.type === 'ReferralRequested') {
        requested.push(referralRequestedRow(item.event.data as Parameters<typeof referralRequestedRow>[0]));
        continue;
      }
      const status = statusChangeRow(item.event);
      if (status) statuses.push(status);
      else await applyEvent(tx, item);
    }
    await insertRows(tx, REFERRAL_COLUMNS, requested, REFERRAL_CONFLICT);
    await insertRows(tx, REFERRAL_COLUMNS, folded, REFERRAL_UPSERT);
    await updateRows(tx, 'rf_referrals', STATUS_COLUMNS, SET_STATUS, statuses);
  }
}
