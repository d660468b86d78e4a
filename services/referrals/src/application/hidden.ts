import { AppError } from '@estia/infra/errors/appError.js';

/** What a caller may be told does not exist. */
export type HiddenResource = 'client' | 'referral' | 'consent' | 'need' | 'access request';

/**
 * "Not yours" and "does not exist" are one answer, byte for byte: existence is personal data here.
 * The detail names the kind of thing only (never the id asked for), so no two answers differ.
 */
export const hidden = (resource: HiddenResource): AppError => new AppError('NOT_FOUND', `${resource} not found`);

/** An erased client, told only to the organisations that held or worked the case. */
export const erasedClient = (clientId: string, erasedAt: string): AppError =>
  new AppError('GONE', `client ${clientId} was erased at ${erasedAt}`, { extensions: { clientId, erasedAt } });
