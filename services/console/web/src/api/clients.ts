import createClient, { type Middleware } from 'openapi-fetch';
import type { paths as MatchingPaths } from '@estia/contracts/generated/openapi.matching.js';
import type { paths as InsightsPaths } from '@estia/contracts/generated/openapi.insights.js';
import type { paths as ReferralsPaths } from '@estia/contracts/generated/openapi.referrals.js';
import type { paths as RegistryPaths } from '@estia/contracts/generated/openapi.registry.js';
import { ApiError } from './problems.js';
import { announceSessionEnded, currentCsrfToken } from './session.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every call goes to the console's back end (same origin, session cookie), which forwards it to the
 * service with the person's token. State-changing calls carry the CSRF token; a 401 means the session
 * ended, and the shell asks the person to sign in again without losing the page.
 */
const consoleMiddleware: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method)) {
      const token = currentCsrfToken();
      if (token) request.headers.set('x-csrf-token', token);
    }
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) announceSessionEnded();
    return response;
  },
};

const clientFor = <Paths extends object>(service: string) => {
  const client = createClient<Paths>({ baseUrl: `/api/${service}`, credentials: 'same-origin' });
  client.use(consoleMiddleware);
  return client;
};

export const registry = clientFor<RegistryPaths>('registry');
export const referrals = clientFor<ReferralsPaths>('referrals');
export const matching = clientFor<MatchingPaths>('matching');
export const insights = clientFor<InsightsPaths>('insights');

/** A fresh Idempotency-Key per submission: a retried click or a lost answer creates nothing twice. */
export const idempotencyKey = (): string => crypto.randomUUID();

/**
 * Unwraps an openapi-fetch result: the typed data, or an ApiError carrying the problem the service
 * answered (shown next to the fields it names).
 */
export const unwrap = async <T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; response: Response }> => {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'network', status: 0, detail: 'network' });
  }
  if (!result.response.ok) {
    const body = (result.error ?? {}) as Record<string, unknown>;
    throw new ApiError({
      type: 'about:blank',
      title: result.response.statusText,
      ...body,
      status: result.response.status,
    } as never);
  }
  return { data: result.data as T, response: result.response };
};
