import type { MatchingHarness } from './matchingHarness.js';

/**
 * Tells the harness's matching what the registry would publish about a member: approved, licensed and
 * on the current code of conduct (may exchange), or only applied (may not).
 */
export const deliverMembership = (
  h: Pick<MatchingHarness, 'deliver'>,
  organisationId: string,
  kind: 'ngo' | 'employer',
  mayExchange = true,
) =>
  h.deliver(
    'estia.registry.organisation.membership-changed.v1',
    organisationId,
    {
      organisationId,
      name: `org ${kind}`,
      kind,
      country: 'GR',
      region: 'EL30',
      status: mayExchange ? 'approved' : 'applied',
      change: mayExchange ? 'approved' : 'applied',
      licence: { number: 'L-1', validUntil: '2099-12-31' },
      codeOfConductVersionAccepted: mayExchange ? 1 : null,
      currentCodeOfConductVersion: 1,
      mayExchange,
      changedAt: new Date().toISOString(),
    },
    organisationId,
  );
