import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { isErased } from '@estia/infra/crypto/personalData.js';
import type { EventStore, StoredEvent } from '@estia/infra/eventStore/types.js';
import { openPersonalPart } from '../application/personalCodec.js';
import {
  accessRequestDecider,
  accessRequestStreamId,
  type AccessRequestState,
} from '../domain/accessRequests/accessRequestDecider.js';
import { clientDecider, type ClientState } from '../domain/clients/clientDecider.js';
import { needsDecider } from '../domain/needs/needsDecider.js';
import { referralDecider } from '../domain/referrals/referralDecider.js';
import type { ReferralState } from '../domain/referrals/referralTypes.js';
import { REMINDER_ISSUED } from '../deadlines/reminderEvents.js';
import { caseStreamIds } from './caseStreams.js';

type NeedsState = ReturnType<typeof needsDecider.initialState>;

/** What the auditor sees of an event's sealed part. */
export type PersonalView =
  | { status: 'none' }
  | { status: 'open'; data: Record<string, unknown> }
  | { status: 'erased'; erasedAt: string }
  | { status: 'unreadable'; reason: string };

export interface AuditedEvent {
  position: number;
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  recordedAt: string;
  organisationId: string | null;
  userId: string | null;
  correlationId: string | null;
  causationId: string | null;
  /** The event's data without its sealed part. */
  facts: Record<string, unknown>;
  personal: PersonalView;
}

export interface CaseState {
  client: ClientState;
  needs: NeedsState;
  referrals: Record<string, ReferralState>;
  /** Who asked the holder for access to the case, and what became of it. */
  accessRequests: Record<string, AccessRequestState>;
  reminders: { deadline: string; thresholdDays: number; issuedAt: string }[];
  /** The person as recorded at that date (opened with their key), or the erasure marker. */
  personal: PersonalView;
}

export interface CaseHistory {
  clientId: string;
  /** Only events recorded at or before this instant were folded; null = everything. */
  asOf: string | null;
  /** Set when the client was erased (whatever `asOf`): their personal data is gone for every date. */
  erasedAt: string | null;
  streams: string[];
  events: AuditedEvent[];
  state: CaseState;
}

const PROFILE_EVENTS = new Set(['ClientRegistered', 'ClientPersonalDataCorrected', 'LegalStatusChanged']);

async function viewPersonal(keyStore: KeyStore, event: StoredEvent): Promise<PersonalView> {
  try {
    const opened = await openPersonalPart<Record<string, unknown>>(keyStore, event);
    if (opened === undefined) return { status: 'none' };
    if (isErased(opened)) return { status: 'erased', erasedAt: opened.erasedAt };
    return { status: 'open', data: opened };
  } catch (error) {
    // A tampered ciphertext or a wrong master key: the auditor must see that, not a crash or garbage.
    return { status: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
  }
}

const withoutPersonal = (data: unknown): Record<string, unknown> => {
  if (typeof data !== 'object' || data === null) return {};
  const { personal: _sealed, ...facts } = data as Record<string, unknown>;
  return facts;
};

/**
 * A client's whole case from the log: every event of every stream of the case, in global order, with
 * who did it and why (correlation/causation), and the state folded with the deciders' own evolve from
 * the events recorded at or before `asOf`. Returns null if the client never existed.
 */
export async function loadCaseHistory(
  store: EventStore,
  keyStore: KeyStore,
  clientId: string,
  options: { asOf?: string } = {},
): Promise<CaseHistory | null> {
  const streams = await caseStreamIds(store, clientId);
  const all: StoredEvent[] = [];
  for (const streamId of streams) all.push(...(await store.readStream(streamId)));
  if (!all.some((e) => e.streamId === streams[0])) return null;
  all.sort((a, b) => a.position - b.position);

  const erased = all.find((e) => e.type === 'ClientErased');
  const erasedAt = erased ? (erased.data as { erasedAt: string }).erasedAt : null;
  const asOf = options.asOf ?? null;
  const events = asOf === null ? all : all.filter((e) => e.recordedAt <= asOf);

  let client = clientDecider.initialState();
  let needs = needsDecider.initialState();
  const referrals: Record<string, ReferralState> = {};
  const accessRequests: Record<string, AccessRequestState> = {};
  const reminders: CaseState['reminders'] = [];
  let profile: Record<string, unknown> | null = null;
  let personalState: PersonalView = { status: 'none' };
  const audited: AuditedEvent[] = [];

  for (const event of events) {
    const personal = await viewPersonal(keyStore, event);
    const actor = event.metadata.actor ?? {};
    audited.push({
      position: event.position,
      streamId: event.streamId,
      revision: event.revision,
      eventId: event.id,
      type: event.type,
      recordedAt: event.recordedAt,
      organisationId: actor.organisationId ?? null,
      userId: actor.userId ?? null,
      correlationId: event.metadata.correlationId ?? null,
      causationId: event.metadata.causationId ?? null,
      facts: withoutPersonal(event.data),
      personal,
    });

    // The deciders' evolve ignores `personal`: the folded state is the one commands were decided on.
    const opaque = { type: event.type, data: event.data } as never;
    if (event.streamId === streams[0]) client = clientDecider.evolve(client, opaque) ?? client;
    else if (event.streamId === streams[1]) needs = needsDecider.evolve(needs, opaque) ?? needs;
    else if (event.type === REMINDER_ISSUED) {
      const d = event.data as { deadline: string; thresholdDays: number; issuedAt: string };
      reminders.push({ deadline: d.deadline, thresholdDays: d.thresholdDays, issuedAt: d.issuedAt });
    } else if (event.streamId.startsWith(accessRequestStreamId('')))
      accessRequests[event.streamId] = accessRequestDecider.evolve(
        accessRequests[event.streamId] ?? accessRequestDecider.initialState(),
        opaque,
      );
    else
      referrals[event.streamId] =
        referralDecider.evolve(referrals[event.streamId] ?? referralDecider.initialState(), opaque) ??
        referrals[event.streamId]!;

    if (PROFILE_EVENTS.has(event.type) && event.streamId === streams[0]) {
      if (personal.status === 'open') {
        profile = { ...(profile ?? {}), ...personal.data };
        personalState = { status: 'open', data: profile };
      } else if (personal.status !== 'none') personalState = personal;
    }
  }
  if (erasedAt !== null) personalState = { status: 'erased', erasedAt };

  return {
    clientId,
    asOf,
    erasedAt,
    streams: streams.filter((s) => all.some((e) => e.streamId === s)),
    events: audited,
    state: { client, needs, referrals, accessRequests, reminders, personal: personalState },
  };
}
