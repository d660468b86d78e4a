import { randomUUID } from 'node:crypto';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { ClientPersonalData } from '../domain/clients/clientData.js';
import type { DuplicateReview } from '../domain/clients/clientDecider.js';
import { duplicateProbe } from '../domain/clients/searchTerms.js';
import { findLikelyDuplicates, type PersonKey } from '../domain/duplicates.js';
import type { Actor } from '../domain/shared/actor.js';
import { decoyClientIds, duplicateCandidateIds, inCaseload } from '../projections/clientSearch.js';
import type { BlindIndex } from './blindIndex.js';
import { loadClientProfile } from './clientProfile.js';

/**
 * How many people's data duplicate detection opens for every registration, matched or not. Candidates
 * come first (most shared name terms), the rest of the budget is filled with other clients, so the time
 * of the answer does not tell how many people look alike (or whether anyone does).
 */
export const DUPLICATE_BUDGET = 24;

/** How long the token of a "may already be known" answer can be turned into an access request. */
export const ACCESS_TOKEN_MINUTES = 15;

interface TokenPayload {
  v: 1;
  /** The matched client. */
  c: string;
  /** Organisation and user it was issued to. */
  o: string;
  u: string;
  /** Expiry (ms since epoch). */
  e: number;
}

export interface DuplicateReviewDeps {
  db: SqlExecutor;
  store: EventStore;
  keyStore: KeyStore;
  blindIndex: BlindIndex;
}

/**
 * Duplicate detection on the blind indexes, scored on the candidates' data opened in memory (nothing
 * of it is kept). Likely duplicates in the officer's own caseload are named; of a likely duplicate
 * held elsewhere the officer learns one bit, with a sealed token bound to them that names the client
 * to the access-request command without ever showing its id.
 */
export async function reviewDuplicates(
  deps: DuplicateReviewDeps,
  actor: Actor,
  personal: ClientPersonalData,
  now: string,
): Promise<Omit<DuplicateReview, 'confirmedNew'>> {
  const { db, store, keyStore, blindIndex } = deps;
  // Malformed data is refused by the decider; there is nothing to compare it with.
  if (typeof personal?.dateOfBirth !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(personal.dateOfBirth))
    return { candidates: [], network: null };
  if (typeof personal.givenNames !== 'string' || typeof personal.familyName !== 'string')
    return { candidates: [], network: null };

  const probe = duplicateProbe(personal);
  const candidateIds = await duplicateCandidateIds(
    db,
    {
      years: probe.years.map(blindIndex.term),
      names: probe.names.map(blindIndex.term),
      dateOfBirth: blindIndex.term(probe.dateOfBirth),
    },
    DUPLICATE_BUDGET,
  );
  const decoys = await decoyClientIds(db, randomUUID(), candidateIds, DUPLICATE_BUDGET - candidateIds.length);
  const known: (PersonKey & { clientId: string })[] = [];
  for (const clientId of [...candidateIds, ...decoys]) {
    const profile = await loadClientProfile(store, keyStore, clientId);
    if (!candidateIds.includes(clientId) || !profile || profile.erased) continue;
    if (profile.givenNames === undefined || profile.familyName === undefined || profile.dateOfBirth === undefined)
      continue;
    known.push({
      clientId,
      givenNames: profile.givenNames,
      familyName: profile.familyName,
      ...(profile.otherNames === undefined ? {} : { otherNames: profile.otherNames }),
      dateOfBirth: profile.dateOfBirth,
      nationalities: profile.nationalities ?? [],
    });
  }
  const likely = findLikelyDuplicates(personal, known, { limit: DUPLICATE_BUDGET });
  const own = await inCaseload(
    db,
    actor.organisationId,
    likely.map((c) => c.clientId),
    now,
  );
  const elsewhere = likely.find((c) => !own.has(c.clientId));
  // Sealed every time (a decoy id when nothing matched elsewhere): the same work either way.
  const expiresAt = Date.parse(now) + ACCESS_TOKEN_MINUTES * 60_000;
  const token = blindIndex.seal({
    v: 1,
    c: elsewhere?.clientId ?? randomUUID(),
    o: actor.organisationId,
    u: actor.userId,
    e: expiresAt,
  } satisfies TokenPayload);
  return {
    candidates: likely.filter((c) => own.has(c.clientId)).map(({ clientId, score }) => ({ clientId, score })),
    network: elsewhere ? { token: token, expiresAt: new Date(expiresAt).toISOString() } : null,
  };
}

/** The client an access-request token names, if it was issued to this person and has not expired. */
export function clientOfAccessToken(blindIndex: BlindIndex, token: string, actor: Actor, now: string): string | null {
  const payload = blindIndex.open(token) as Partial<TokenPayload> | null;
  if (payload === null || typeof payload !== 'object' || payload.v !== 1) return null;
  if (payload.o !== actor.organisationId || payload.u !== actor.userId) return null;
  if (typeof payload.e !== 'number' || payload.e <= Date.parse(now)) return null;
  return typeof payload.c === 'string' ? payload.c : null;
}
