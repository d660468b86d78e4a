import { exchangeTermsOf } from '@estia/contracts';
import type {
  ClientCandidateProfileSharedV1,
  ClientConsentGivenV1,
  ClientConsentWithdrawnV1,
  ClientErasedV1,
  EventEnvelope,
  OrganisationMembershipChangedV1,
} from '@estia/contracts';
import { topicFor } from '@estia/infra/bus/types.js';
import { isAppError } from '@estia/infra/errors/appError.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { StreamVersionConflictError } from '@estia/infra/eventStore/errors.js';
import type { EventMetadata, EventStore } from '@estia/infra/eventStore/types.js';
import { checkpointStore } from '@estia/infra/processors/checkpointStore.js';
import type { ConsumerHandler, StartConsumerOptions } from '@estia/infra/processors/consumer.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { MatchingLogger } from './logger.js';
import type { MatchingCommands } from '../application/matchingCommands.js';
import { matchingQueries } from '../application/queries.js';
import type { EscoCatalogue } from '../esco/catalogue.js';
import type { MatchEngine } from '../matching/matchEngine.js';
import { legalStatusFromShared, profileFromShared } from './profileFromShared.js';
import { candidateStreamId } from '../domain/candidates/candidateProfileDecider.js';
import { MATCHING_READ_MODELS } from '../readModels/readModelProjection.js';

type Consumer = Omit<StartConsumerOptions, 'bus' | 'db' | 'logger'>;

/** The cause of what we write is the integration event; its actor stays the actor. */
const metadataOf = (envelope: EventEnvelope): EventMetadata => ({
  correlationId: envelope.correlationid,
  causationId: envelope.id,
  actor: { organisationId: envelope.actororganisation, ...(envelope.actoruser ? { userId: envelope.actoruser } : {}) },
});
const byOf = (envelope: EventEnvelope) => ({
  organisationId: envelope.actororganisation,
  userId: envelope.actoruser ?? 'system',
});

/** Registry → which organisations may publish and propose (mayExchange), and which are employers. */
export const registryConsumer = (): Consumer => ({
  group: 'matching.registry',
  topics: [topicFor('registry')],
  handle: async (tx, envelope) => {
    if (envelope.type !== 'estia.registry.organisation.membership-changed.v1') return;
    const d = envelope.data as OrganisationMembershipChangedV1;
    // The event carries the whole membership state: keep the latest per organisation.
    await tx.execute(
      `INSERT INTO matching_organisations (organisation_id, kind, status, may_exchange, changed_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organisation_id) DO UPDATE SET kind = $2, status = $3, may_exchange = $4, changed_at = $5
       WHERE matching_organisations.changed_at <= $5`,
      [d.organisationId, d.kind, d.status, d.mayExchange ? 1 : 0, d.changedAt],
    );
    await tx.execute(
      `INSERT INTO matching_exchange_terms (organisation_id, terms, changed_at) VALUES ($1, $2, $3)
       ON CONFLICT (organisation_id) DO UPDATE SET terms = $2, changed_at = $3
       WHERE matching_exchange_terms.changed_at <= $3`,
      [d.organisationId, JSON.stringify(exchangeTermsOf(d)), d.changedAt],
    );
  },
});

export interface ReferralsConsumerDeps {
  commands: MatchingCommands;
  /** Matching's own log: to tell whether the read models already hold every application decided so far. */
  store: EventStore;
  engine: MatchEngine;
  esco: EscoCatalogue;
  logger: MatchingLogger;
}

/**
 * Referrals → candidate profiles, only while the client consents to job matching. Writes go to matching's
 * own log through the candidate decider (which ignores repeated deliveries); the inbox makes the rest
 * idempotent. Withdrawal and erasure take the candidate out of the engine before anything else.
 */
export const referralsConsumer = (deps: ReferralsConsumerDeps): Consumer => {
  const { commands, engine, esco, logger, store } = deps;

  /** Withdraws one application; a concurrent change re-reads it and decides again, a closed one is left. */
  const withdraw = async (applicationId: string, envelope: EventEnvelope, reason: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await commands.step(
          applicationId,
          byOf(envelope),
          { type: 'WithdrawApplication', reason },
          metadataOf(envelope),
        );
        return;
      } catch (error) {
        if (error instanceof StreamVersionConflictError && attempt < 5) continue;
        if (isAppError(error) && error.code === 'ILLEGAL_TRANSITION') return; // closed meanwhile
        throw error;
      }
    }
  };

  /**
   * The side effects of a withdrawal or an erasure, all in the message's unit: the engine forgets the
   * candidate and every open application is withdrawn before the inbox entry and the offset commit. On
   * a redelivery (a crash before that commit) they run again and find nothing left to do. The open
   * applications are read from the read models, so those must hold every application decided before the
   * candidate's last event; if the projection is behind, the unit fails and is retried after a backoff.
   */
  const removeCandidate = async (
    tx: SqlExecutor,
    envelope: EventEnvelope,
    clientId: string,
    reason: 'consent_withdrawn' | 'client_erased',
  ) => {
    engine.removeCandidate(clientId);
    const [last] = await store.readStream(candidateStreamId(clientId), { direction: 'backwards', maxCount: 1 });
    if (last) {
      const checkpoint = await checkpointStore.load(tx, MATCHING_READ_MODELS);
      const [next] = await store.readAll({ ...(checkpoint === null ? {} : { after: checkpoint }), maxCount: 1 });
      if (next && next.position < last.position)
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          `read models behind position ${last.position}: open applications of the candidate not all known yet`,
        );
    }
    for (const application of await matchingQueries(tx).openApplicationsOf(clientId))
      await withdraw(application.id, envelope, reason);
  };

  const handle: ConsumerHandler = async (tx, envelope) => {
    const meta = metadataOf(envelope);
    switch (envelope.type) {
      case 'estia.referrals.client.consent-given.v1': {
        const d = envelope.data as ClientConsentGivenV1;
        if (d.purpose === 'job_matching')
          await commands.candidate(
            {
              type: 'RecordMatchingConsent',
              clientId: d.clientId,
              consentId: d.consentId,
              scope: d.scope,
              now: d.givenAt,
            },
            meta,
          );
        else if (d.purpose === 'employer_sharing')
          await tx.execute(
            `INSERT INTO matching_sharing_consents (consent_id, client_id, organisation_id, scope, active)
             VALUES ($1, $2, $3, $4, 1) ON CONFLICT (consent_id) DO UPDATE SET scope = $4, active = 1`,
            [d.consentId, d.clientId, d.recipient.organisationId ?? null, JSON.stringify(d.scope)],
          );
        return;
      }
      case 'estia.referrals.client.consent-withdrawn.v1': {
        const d = envelope.data as ClientConsentWithdrawnV1;
        if (d.purpose === 'employer_sharing')
          await tx.execute('UPDATE matching_sharing_consents SET active = 0 WHERE consent_id = $1', [d.consentId]);
        if (d.purpose !== 'job_matching') return;
        await commands.candidate(
          { type: 'WithdrawMatchingConsent', clientId: d.clientId, consentId: d.consentId, now: d.withdrawnAt },
          meta,
        );
        // Also when the withdrawal itself was already written (a redelivery after a crash): the
        // applications it closes may not have been, and closing them again is a no-op.
        if ((await commands.candidateState(d.clientId)).status !== 'consented')
          await removeCandidate(tx, envelope, d.clientId, 'consent_withdrawn');
        return;
      }
      case 'estia.referrals.client.candidate-profile-shared.v1': {
        const d = envelope.data as ClientCandidateProfileSharedV1;
        const state = await commands.candidateState(d.clientId);
        if (state.status !== 'consented') {
          // No consent recorded (or already withdrawn): matching must not keep the profile.
          logger.info({ eventId: envelope.id }, 'candidate profile ignored: no consent to job matching');
          return;
        }
        await commands.candidate(
          { type: 'UpdateLegalStatus', clientId: d.clientId, legalStatus: legalStatusFromShared(d), now: d.sharedAt },
          meta,
        );
        const { profile, droppedCodes } = profileFromShared(d, esco);
        if (droppedCodes > 0) logger.warn({ eventId: envelope.id, droppedCodes }, 'unknown ESCO codes dropped');
        if (!profile) {
          logger.warn({ eventId: envelope.id }, 'candidate profile without coordinates cannot be matched');
          return;
        }
        await commands.candidate(
          { type: 'UpdateCandidateProfile', clientId: d.clientId, by: byOf(envelope), profile, now: d.sharedAt },
          meta,
        );
        return;
      }
      case 'estia.referrals.client.erased.v1': {
        const d = envelope.data as ClientErasedV1;
        await tx.execute('DELETE FROM matching_sharing_consents WHERE client_id = $1', [d.clientId]);
        try {
          await commands.candidate({ type: 'EraseCandidate', clientId: d.clientId, now: d.erasedAt }, meta);
        } catch (error) {
          if (!(isAppError(error) && error.code === 'GONE')) throw error;
        }
        await removeCandidate(tx, envelope, d.clientId, 'client_erased');
        return;
      }
      default:
        return;
    }
  };

  return {
    group: 'matching.referrals',
    topics: [topicFor('referrals')],
    handle: async (tx, envelope, context) => {
      try {
        await handle(tx, envelope, context);
      } catch (error) {
        // A client erased earlier: later deliveries about them have nothing left to act on.
        if (isAppError(error) && error.code === 'GONE') return;
        throw error;
      }
    },
  };
};
