import type { SessionView } from '../../../src/server/sessions/sessionView.js';
import { ApiError } from './problems.js';

export type { SessionView };

let csrfToken: string | null = null;
const listeners = new Set<() => void>();

/** The CSRF token of the current session, echoed on every state-changing call. */
export const currentCsrfToken = (): string | null => csrfToken;

export const rememberSession = (session: SessionView | null): void => {
  csrfToken = session?.csrfToken ?? null;
};

/** Subscribed by the app shell: a call found the session ended, so ask the person to sign in again. */
export const onSessionEnded = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const announceSessionEnded = (): void => {
  csrfToken = null;
  for (const listener of listeners) listener();
};

const asProblem = async (response: Response): Promise<ApiError> => {
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  return new ApiError({
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
    ...(body ?? {}),
  } as never);
};

export const fetchSession = async (): Promise<SessionView | null> => {
  const response = await fetch('/api/session', { credentials: 'same-origin' });
  if (response.status === 401) {
    rememberSession(null);
    return null;
  }
  if (!response.ok) throw await asProblem(response);
  const session = (await response.json()) as SessionView;
  rememberSession(session);
  return session;
};

export const signIn = async (email: string, password: string): Promise<SessionView> => {
  const response = await fetch('/api/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw await asProblem(response);
  const session = (await response.json()) as SessionView;
  rememberSession(session);
  return session;
};

export const signOut = async (): Promise<void> => {
  await fetch('/api/session', {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: csrfToken ? { 'x-csrf-token': csrfToken } : {},
  });
  rememberSession(null);
};

export { asProblem };
