/**
 * What the console's own session endpoints answer (GET/POST /api/session). Pure types, shared by the
 * back end and the page; the access token itself never appears here.
 */
export interface SessionView {
  organisationId: string;
  roles: string[];
  /** Epoch ms: the session ends then unless used (idle timeout) and at the latest when the token expires. */
  endsAt: number;
  idleTimeoutSeconds: number;
  /** Echo in the x-csrf-token header of every state-changing call. */
  csrfToken: string;
}
