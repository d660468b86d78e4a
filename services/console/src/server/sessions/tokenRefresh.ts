import type { FastifyBaseLogger } from 'fastify';
import { sessionIdOf, type SessionSecret } from './sessionSecret.js';
import type { OpenSession, SessionStore } from './sessionStore.js';

/** A token with less than this left is swapped for a fresh one on the person's next request. */
export const REFRESH_MARGIN_MS = 4 * 60_000;

export interface TokenRefreshOptions {
  sessions: SessionStore;
  registryUrl: string;
  idleMs: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * Keeps a working person signed in past their access token's short life: when a request finds the
 * token close to its expiry, the back end exchanges it at the registry (`POST /auth/refresh`, which
 * answers the person's current roles and refuses deactivated people and old sign-ins) and seals the new
 * one in the session. Only a request bearing the cookie can open the token, so only activity refreshes;
 * an idle session still ends. One exchange per session at a time.
 */
export const tokenRefresher = (options: TokenRefreshOptions) => {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const running = new Map<string, Promise<OpenSession>>();

  const exchange = async (secret: SessionSecret, open: OpenSession, log?: FastifyBaseLogger): Promise<OpenSession> => {
    try {
      const answer = await doFetch(new URL('/auth/refresh', options.registryUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: open.accessToken }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!answer.ok) {
        log?.info({ status: answer.status }, 'token not refreshed; the session ends with it');
        return open;
      }
      const token = (await answer.json()) as { access_token: string; expires_in: number };
      const tokenExpiresAt = now() + token.expires_in * 1000;
      await options.sessions.renew(secret, token.access_token, tokenExpiresAt);
      return {
        accessToken: token.access_token,
        tokenExpiresAt,
        endsAt: Math.min(tokenExpiresAt, now() + options.idleMs),
      };
    } catch (error) {
      log?.warn({ err: error }, 'registry did not answer a token refresh');
      return open;
    }
  };

  return async (secret: SessionSecret, open: OpenSession, log?: FastifyBaseLogger): Promise<OpenSession> => {
    if (open.tokenExpiresAt - now() > REFRESH_MARGIN_MS) return open;
    const id = sessionIdOf(secret);
    const pending = running.get(id);
    if (pending) return pending;
    const started = exchange(secret, open, log).finally(() => running.delete(id));
    running.set(id, started);
    return started;
  };
};
