import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EventMetadata } from '../eventStore/types.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** X-Correlation-Id from the caller, or this request's id when it starts a conversation. */
    correlationId: string;
  }
}

/** Ids we accept from callers: short, printable, no separators that could forge log lines. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';
export const CORRELATION_ID_HEADER = 'x-correlation-id';

const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** fastify `genReqId`: keep a well-formed X-Request-Id from a gateway, otherwise a new UUID. */
export const genRequestId = (req: IncomingMessage): string => {
  const incoming = headerValue(req.headers[REQUEST_ID_HEADER]);
  return incoming !== undefined && SAFE_ID.test(incoming) ? incoming : randomUUID();
};

/** Echo both ids on every response, errors included, so a caller can quote them. */
export const registerRequestContext = (app: FastifyInstance): void => {
  app.decorateRequest('correlationId', '');
  app.addHook('onRequest', async (request, reply) => {
    const incoming = headerValue(request.headers[CORRELATION_ID_HEADER]);
    request.correlationId = incoming !== undefined && SAFE_ID.test(incoming) ? incoming : request.id;
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header(CORRELATION_ID_HEADER, request.correlationId);
  });
};

/**
 * Metadata for the events a request produces: the correlation id flows on, the request is the
 * cause, and the actor comes from the verified token (ids only).
 */
export const eventMetadataFor = (request: FastifyRequest, extra: EventMetadata = {}): EventMetadata => {
  const principal = request.principal;
  const actor: NonNullable<EventMetadata['actor']> = {};
  if (principal) {
    actor.organisationId = principal.organisationId;
    // A client-credentials token acts as the client, not as a person.
    if (principal.subject !== principal.clientId) actor.userId = principal.subject;
    if (principal.clientId !== undefined) actor.clientId = principal.clientId;
  }
  return {
    correlationId: request.correlationId || request.id,
    causationId: request.id,
    ...(principal ? { actor } : {}),
    ...extra,
  };
};
