import { createHash } from 'node:crypto';
import type { EventMetadata } from '@estia/infra/eventStore/types.js';
import { isStreamVersionConflict } from '@estia/infra/eventStore/errors.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { OrganisationProfile } from '../domain/organisation/organisation.js';
import type { RegistryContext } from './context.js';

/** "EL-123 456.789" and "el123456789" are the same registration number. */
export const normaliseLegalIdentifier = (value: string): string => value.toUpperCase().replace(/[^0-9A-Z]/g, '');

/** One stream per (country, identifier); hashed so the stream id has a fixed shape whatever was typed. */
export const legalIdentifierStreamId = (country: string, legalIdentifier: string): string =>
  `registry-legal-identifier-${createHash('sha256')
    .update(`${country.toUpperCase()}:${normaliseLegalIdentifier(legalIdentifier)}`)
    .digest('hex')
    .slice(0, 40)}`;

/**
 * Claims an organisation's legal identifier before its application is written. The claim is an
 * append that expects no stream, so of two concurrent applications with the same identifier exactly
 * one wins, without a read model that could lag. A refused claim writes nothing.
 */
export async function reserveLegalIdentifier(
  ctx: RegistryContext,
  organisationId: string,
  profile: Pick<OrganisationProfile, 'country' | 'legalIdentifier'>,
  metadata: EventMetadata,
): Promise<void> {
  try {
    await ctx.store.append(
      legalIdentifierStreamId(profile.country, profile.legalIdentifier),
      [
        {
          type: 'LegalIdentifierReserved',
          data: { organisationId, country: profile.country, legalIdentifier: profile.legalIdentifier },
          metadata,
        },
      ],
      { expectedVersion: 'no-stream' },
    );
  } catch (error) {
    if (!isStreamVersionConflict(error)) throw error;
    throw new AppError(
      'CONFLICT',
      `an organisation with legal identifier ${profile.legalIdentifier} in ${profile.country} is already registered`,
      { errors: [{ pointer: '/body/profile/legalIdentifier', detail: 'is already registered' }] },
    );
  }
}
