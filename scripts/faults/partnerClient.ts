/**
 * A partner of the network as the suite plays it: one officer of one organisation, signed in at the
 * registry, sending each command with an Idempotency-Key and retrying it with that same key until the
 * service acknowledges it (a lost connection, a 5xx or a timeout is not an answer).
 */
export interface Answer {
  status: number;
  body: unknown;
  replayed: boolean;
}

export interface Counters {
  requests: number;
  /** Attempts that got no answer (connection lost, timeout) or a 5xx, retried with the same key. */
  retried: number;
  /** Refusals (4xx) retried because the service had not yet seen what the command needs. */
  refusalsRetried: Map<string, number>;
  replayed: number;
}

export const newCounters = (): Counters => ({ requests: 0, retried: 0, refusalsRetried: new Map(), replayed: 0 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A 429 says how long to wait (`retry-after`, seconds); a partner waits that long, not less. */
const retryAfterMs = (res: Response): number | null =>
  res.status === 429 ? Math.max(1, Number(res.headers.get('retry-after')) || 1) * 1000 : null;

export class Partner {
  private token?: { value: string; renewAt: number };
  private signingIn?: Promise<string>;

  constructor(
    readonly organisationId: string,
    readonly email: string,
    private readonly password: string,
    private readonly registryUrl: () => string,
    private readonly counters: Counters,
  ) {}

  private async signIn(): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const res = await fetch(`${this.registryUrl()}/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: this.email, password: this.password }),
          signal: AbortSignal.timeout(15_000),
        });
        if (res.ok) {
          const body = (await res.json()) as { access_token: string; expires_in: number };
          this.token = { value: body.access_token, renewAt: Date.now() + (body.expires_in - 90) * 1000 };
          return body.access_token;
        }
        const wait = retryAfterMs(res);
        if (wait !== null) {
          await sleep(wait);
          continue;
        }
        if (res.status < 500) throw new Error(`sign-in of ${this.email}: ${res.status}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('sign-in of')) throw error;
      }
      await sleep(Math.min(2_000, 100 * attempt));
    }
  }

  async authorization(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return `Bearer ${this.token.value}`;
    this.signingIn ??= this.signIn().finally(() => (this.signingIn = undefined));
    return `Bearer ${await this.signingIn}`;
  }

  /**
   * Sends until answered: retries with the same key on no answer and 5xx, and after `retry-after` on a 429;
   * on a 401 signs in again.
   * `retryRefusal` says whether a 4xx means "not yet" (the command's facts are still on their way).
   */
  async send(
    url: () => string,
    path: string,
    body: unknown,
    key: string,
    retryRefusal: (answer: Answer) => boolean = () => false,
    maxRefusals = 60,
  ): Promise<Answer> {
    let refusals = 0;
    for (let attempt = 1; ; attempt += 1) {
      this.counters.requests += 1;
      let answer: Answer | null = null;
      let wait: number | null = null;
      try {
        const res = await fetch(`${url()}${path}`, {
          method: 'POST',
          headers: {
            authorization: await this.authorization(),
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(20_000),
        });
        wait = retryAfterMs(res);
        const text = await res.text();
        answer = {
          status: res.status,
          body: text === '' ? undefined : JSON.parse(text),
          replayed: res.headers.get('idempotent-replayed') === 'true',
        };
      } catch {
        answer = null;
      }
      if (answer && answer.status < 300) {
        if (answer.replayed) this.counters.replayed += 1;
        return answer;
      }
      if (answer && answer.status === 401) {
        this.token = undefined;
      } else if (answer && answer.status < 500 && answer.status !== 429) {
        if (!retryRefusal(answer) || refusals >= maxRefusals) return answer;
        refusals += 1;
        const title = `${answer.status} ${(answer.body as { title?: string } | undefined)?.title ?? ''}`.trim();
        this.counters.refusalsRetried.set(title, (this.counters.refusalsRetried.get(title) ?? 0) + 1);
        await sleep(500);
        continue;
      } else {
        this.counters.retried += 1;
      }
      await sleep(wait ?? Math.min(1_000, 50 * attempt));
    }
  }

  async get(url: string): Promise<{ status: number; body: unknown }> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const res = await fetch(url, {
          headers: { authorization: await this.authorization() },
          signal: AbortSignal.timeout(20_000),
        });
        const wait = retryAfterMs(res);
        if (wait !== null) {
          await sleep(wait);
          continue;
        }
        if (res.status === 401) this.token = undefined;
        else if (res.status < 500) return { status: res.status, body: await res.json() };
      } catch {
        // not answered: again
      }
      await sleep(Math.min(1_000, 50 * attempt));
    }
  }
}
