import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { refuseAddress, refuseUrl, type TargetPolicy } from '../domain/webhook/targetPolicy.js';

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface SendOutcome {
  /** HTTP status, or null when there was no answer (refused target, DNS, connection, timeout). */
  status: number | null;
  latencyMs: number;
  /** The first bytes of the answer, decoded as UTF-8 (capped). */
  excerpt: string;
  error: string | null;
}

export interface SenderOptions {
  policy: TargetPolicy;
  /** Whole request, connect to last byte read. Default 10 s. */
  timeoutMs?: number;
  /** Bytes of the answer kept (and read at most). Default 1 KiB. */
  maxResponseBytes?: number;
  /** Test seam: resolves a host name (default: the system resolver). */
  lookup?: (host: string, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;
}

export type Sender = ((request: SendRequest) => Promise<SendOutcome>) & { close(): void };

class UnsafeTargetError extends Error {}

/**
 * POSTs a webhook. Safe against server-side request forgery after DNS: the connection's own lookup
 * checks every address the host resolves to (so a name cannot be re-pointed between a check and the
 * connect), literal addresses are checked before; redirects are not followed; the answer is read up
 * to a cap and the request is cut at the timeout. Keep-alive connections per target.
 */
export function createSender(options: SenderOptions): Sender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const cap = options.maxResponseBytes ?? 1024;
  const resolveAll =
    options.lookup ??
    ((host: string, cb: (error: Error | null, addresses: LookupAddress[]) => void) =>
      dnsLookup(host, { all: true }, (error, addresses) => cb(error, addresses ?? [])));
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolveAll(hostname, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const refused = addresses.map((a) => refuseAddress(a.address, options.policy)).find((r) => r !== null);
      if (refused) return callback(new UnsafeTargetError(`${hostname} resolves to ${refused}`), '', 4);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 4);
      if ((lookupOptions as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64, lookup: guardedLookup } as http.AgentOptions),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64, lookup: guardedLookup } as https.AgentOptions),
  };

  // The URL's own check (scheme, credentials, a literal address) depends on the URL and the policy
  // only, so it is made once per URL, not once per delivery; names are still checked at every
  // connection by the lookup above, after resolution.
  const checked = new Map<string, { refusal: string | null; url: URL | null }>();
  const check = (raw: string) => {
    let entry = checked.get(raw);
    if (!entry) {
      if (checked.size >= 1_000) checked.clear();
      const refusal = refuseUrl(raw, options.policy);
      entry = { refusal, url: refusal === null ? new URL(raw) : null };
      checked.set(raw, entry);
    }
    return entry;
  };

  const send = (request: SendRequest): Promise<SendOutcome> => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const { refusal, url } = check(request.url);
    if (refusal !== null || url === null)
      return Promise.resolve({ status: null, latencyMs: 0, excerpt: '', error: `unsafe target: ${refusal}` });
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Omit<SendOutcome, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...outcome, latencyMs: elapsed() });
      };
      const req = transport.request(
        url,
        {
          method: 'POST',
          agent: agents[url.protocol as 'http:' | 'https:'],
          lookup: guardedLookup,
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(request.body)),
            'user-agent': 'estia-webhooks/1',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const done = () =>
            finish({
              status: res.statusCode ?? null,
              excerpt: Buffer.concat(chunks).subarray(0, cap).toString('utf8'),
              error: null,
            });
          res.on('data', (chunk: Buffer) => {
            if (size < cap) chunks.push(chunk);
            size += chunk.length;
            // A receiver that answers at length is cut off: we only keep an excerpt.
            if (size > cap) {
              done();
              res.destroy();
            }
          });
          res.on('end', done);
          res.on('error', (error) => finish({ status: res.statusCode ?? null, excerpt: '', error: error.message }));
        },
      );
      const timer = setTimeout(() => {
        finish({ status: null, excerpt: '', error: `timed out after ${timeoutMs} ms` });
        req.destroy();
      }, timeoutMs);
      req.on('error', (error) =>
        finish({
          status: null,
          excerpt: '',
          error: error instanceof UnsafeTargetError ? `unsafe target: ${error.message}` : error.message,
        }),
      );
      req.end(request.body);
    });
  };
  return Object.assign(send, {
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}
