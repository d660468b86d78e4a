import type { FastifyInstance } from 'fastify';

/**
 * Content-Security-Policy of every answer: scripts, styles, fonts and API calls from the console's own
 * origin only; no inline script or style, no eval, no framing, no plugins. The built app has no inline
 * code, so nothing needs a nonce.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const registerSecurityHeaders = (app: FastifyInstance, options: { tls: (secure: boolean) => boolean }): void => {
  app.addHook('onSend', async (request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    if (options.tls(request.protocol === 'https'))
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // Case data must not stay in shared caches or the browser's disk cache.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
};
