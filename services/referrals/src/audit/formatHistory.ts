import type { ChainVerification } from '@estia/infra/eventStore/types.js';
import type { CaseHistory, PersonalView } from './caseHistory.js';

const personalLine = (view: PersonalView): string | null => {
  switch (view.status) {
    case 'none':
      return null;
    case 'open':
      return `personal: ${JSON.stringify(view.data)}`;
    case 'erased':
      return `personal data erased (${view.erasedAt})`;
    case 'unreadable':
      return `personal data UNREADABLE: ${view.reason}`;
  }
};

/** The events and folded state as an auditor reads them in a terminal. */
export function formatHistory(history: CaseHistory): string {
  const out: string[] = [];
  const when = history.asOf === null ? 'now' : `as of ${history.asOf}`;
  out.push(
    `Client ${history.clientId}: case history ${when} (${history.events.length} events in ${history.streams.length} streams)`,
  );
  if (history.erasedAt !== null) out.push(`Personal data erased at ${history.erasedAt} (GDPR art. 17)`);
  out.push('');
  for (const e of history.events) {
    out.push(
      `${e.recordedAt}  ${e.type}  ${e.streamId}#${e.revision}  org=${e.organisationId ?? '-'} user=${e.userId ?? '-'}` +
        ` correlation=${e.correlationId ?? '-'} causation=${e.causationId ?? '-'}`,
    );
    out.push(`    ${JSON.stringify(e.facts)}`);
    const personal = personalLine(e.personal);
    if (personal) out.push(`    ${personal}`);
  }
  const { client, needs, referrals, accessRequests, reminders, personal } = history.state;
  out.push('', `State ${when}:`);
  out.push(
    `  client: ${client.status}${'organisations' in client ? ` (organisations ${client.organisations.join(', ')})` : ''}`,
  );
  if ('consents' in client)
    for (const c of client.consents)
      out.push(
        `  consent ${c.consentId}: ${c.purpose} → ${JSON.stringify(c.recipient)} scope ${c.scope.join(',')}` +
          (c.withdrawnAt ? ` withdrawn ${c.withdrawnAt}` : ' in force'),
      );
  for (const [needId, need] of Object.entries(needs.needs))
    out.push(`  need ${needId}: ${need.category} ${need.priority} ${need.status}`);
  for (const [streamId, referral] of Object.entries(referrals))
    out.push(
      `  ${streamId}: ${referral.status}` +
        ('receiverOrganisationId' in referral
          ? ` (${referral.senderOrganisationId} → ${referral.receiverOrganisationId}, ${referral.category})`
          : ''),
    );
  for (const [streamId, request] of Object.entries(accessRequests))
    out.push(
      `  ${streamId}: ${request.status}` +
        ('requesterOrganisationId' in request ? ` (asked by ${request.requesterOrganisationId})` : ''),
    );
  for (const r of reminders)
    out.push(`  reminder: ${r.deadline} within ${r.thresholdDays} days (issued ${r.issuedAt})`);
  out.push(`  ${personalLine(personal) ?? 'personal: none recorded yet'}`);
  return out.join('\n');
}

/** One line per chain; a broken one names the first bad revision and both hashes. */
export function formatChain(result: ChainVerification): string {
  if (result.ok) return `ok      ${result.streamId} (${result.events} events, head ${result.lastHash ?? '-'})`;
  return (
    `BROKEN  ${result.streamId} at revision ${result.brokenAt}: ${result.reason}` +
    ` (expected ${result.expected}, stored ${result.actual})`
  );
}
