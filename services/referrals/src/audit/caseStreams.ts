import type { EventStore } from '@estia/infra/eventStore/types.js';
import { accessRequestStreamId } from '../domain/accessRequests/accessRequestDecider.js';
import { clientStreamId } from '../domain/clients/clientDecider.js';
import { needsStreamId } from '../domain/needs/needsDecider.js';
import { referralStreamId } from '../domain/referrals/referralTypes.js';
import { deadlinesStreamId } from '../deadlines/reminderEvents.js';

const PAGE = 1000;

/**
 * Every stream that belongs to one client's case: identity/consent, needs, deadline reminders, each
 * referral and each access request. Those are found in the log itself (ReferralRequested and
 * AccessRequested name the client), not in a read model: an auditor's answer must not depend on a
 * table that may lag or have been rebuilt.
 */
export async function caseStreamIds(store: EventStore, clientId: string): Promise<string[]> {
  const referrals: string[] = [];
  const accessRequests: string[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await store.readAll({
      ...(after === undefined ? {} : { after }),
      maxCount: PAGE,
      types: ['ReferralRequested', 'AccessRequested'],
    });
    for (const event of page) {
      const data = event.data as { clientId?: unknown; referralId?: string; accessRequestId?: string };
      if (data.clientId !== clientId) continue;
      if (event.type === 'ReferralRequested') referrals.push(referralStreamId(data.referralId!));
      else accessRequests.push(accessRequestStreamId(data.accessRequestId!));
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.position;
  }
  return [
    clientStreamId(clientId),
    needsStreamId(clientId),
    deadlinesStreamId(clientId),
    ...referrals,
    ...accessRequests,
  ];
}
