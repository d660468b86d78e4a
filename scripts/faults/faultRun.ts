import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, terminateConnections } from '../../infra/src/testing/postgresDatabases.js';
import type { EventStore } from '../../infra/src/eventStore/types.js';
import { verifyAllStreams } from '../../services/referrals/src/audit/verifyCase.js';
import { describeFault, planFaults, type Fault, type FaultCounts } from './faultPlan.js';
import { newCounters } from './partnerClient.js';
import { demoPartners, planFlows, runFlow, type Flow } from './referralFlows.js';
import { compareWithRebuild, type RebuildComparison } from './rebuildCompare.js';
import { openServiceStores, type StoreKind, type StoreLocation } from './openStores.js';
import { seededRandom } from './seededRandom.js';
import { ServiceProcesses, type ExitRecord, type ServiceName } from './serviceProcesses.js';

export interface FaultRunOptions extends FaultCounts {
  store: StoreKind;
  flows: number;
  partners: number;
  seed: number;
  /** Server of the PostgreSQL run; a fresh database is created on it and dropped after. */
  pgUrl?: string;
  /** Keep the data directory (and database) for a post-mortem. */
  keep?: boolean;
  log: (line: string) => void;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface FaultRunResult {
  store: StoreKind;
  seed: number;
  flows: number;
  seconds: { setup: number; traffic: number; checks: number; total: number };
  faults: { fault: string; done: string }[];
  exits: ExitRecord[];
  requests: number;
  retried: number;
  replayed: number;
  refusalsRetried: Record<string, number>;
  checks: Check[];
  ok: boolean;
  dataDir?: string;
}

const SERVICES: ServiceName[] = ['registry', 'referrals', 'matching'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Readiness {
  status?: string;
  processors?: { name: string; state: string; lagEvents: number | null; parked: number | null }[];
}

/** Waits until every service is ready and every processor has caught up (lag 0); returns what is left. */
async function settle(network: ServiceProcesses, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let behind: string[] = [];
  while (Date.now() < deadline) {
    behind = [];
    for (const service of SERVICES) {
      const body = (await fetch(`${network.url(service)}/ready`, { signal: AbortSignal.timeout(5_000) })
        .then((r) => r.json())
        .catch(() => null)) as Readiness | null;
      if (!body || body.status !== 'ready') behind.push(`${service}: not ready`);
      for (const p of body?.processors ?? [])
        if (p.state !== 'running' || (p.lagEvents ?? 0) > 0) behind.push(`${p.name}: ${p.state}, lag ${p.lagEvents}`);
    }
    if (behind.length === 0) return [];
    await sleep(500);
  }
  return behind;
}

async function parkedEvents(network: ServiceProcesses): Promise<string[]> {
  const parked: string[] = [];
  for (const service of SERVICES) {
    const body = (await fetch(`${network.url(service)}/ready`)
      .then((r) => r.json())
      .catch(() => null)) as Readiness | null;
    for (const p of body?.processors ?? []) if ((p.parked ?? 0) > 0) parked.push(`${p.name}: ${p.parked}`);
  }
  return parked;
}

/**
 * One run of the fault-injection suite on one store: the real processes, the flows, the faults, the
 * retries, then the checks. Never throws for a failed check (the result says); throws if the network
 * cannot be started at all.
 */
export async function runFaultSuite(options: FaultRunOptions): Promise<FaultRunResult> {
  const started = Date.now();
  const { log } = options;
  const random = seededRandom(options.seed);
  const dataDir = mkdtempSync(join(tmpdir(), `estia-faults-${options.store}-`));
  mkdirSync(join(dataDir, 'logs'), { recursive: true, mode: 0o700 });
  const database = options.store === 'postgres' ? await createScratchDatabase(options.pgUrl!, 'faults') : undefined;
  const at: StoreLocation = { kind: options.store, dataDir, ...(database ? { pgUrl: database.url } : {}) };
  const relayKillFile = join(dataDir, 'relay-kill');
  // Production mode needs its secrets in the environment (embedded mode keeps them under DATA_DIR).
  const secrets: Record<string, string> = database
    ? {
        KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
        WEBHOOK_SECRETS_KEY: randomBytes(32).toString('base64'),
      }
    : {};
  const common: Record<string, string> = {
    TOKEN_ISSUER: 'urn:estia:registry',
    LOG_LEVEL: 'warn',
    DEMO_DATA: 'false',
    // The partners all call from 127.0.0.1; in the network each has its own address and its own budget.
    RATE_LIMIT_PER_MINUTE: String(600 * (options.partners + 1)),
    // A restarted process takes its processors over when the killed one's lease runs out.
    PROCESSOR_LEASE_TTL_MS: '3000',
    ...(database ? { EVENT_STORE: 'postgres', PG_URL: database.url } : {}),
    ...secrets,
  };
  const network = new ServiceProcesses(dataDir);
  const counters = newCounters();
  const faultsDone: { fault: string; done: string }[] = [];
  const checks: Check[] = [];
  let setupSeconds = 0;
  let trafficSeconds = 0;
  try {
    log(`[${options.store}] starting registry (seeding the demo network), data in ${dataDir}`);
    const registryUrl = await network.start('registry', { ...common, DEMO_DATA: 'true' });
    const others = { ...common, REGISTRY_URL: registryUrl, JWKS_URL: `${registryUrl}/.well-known/jwks.json` };
    await Promise.all([
      network.start('referrals', { ...others, FAULT_RELAY_KILL_FILE: relayKillFile }),
      network.start('matching', others),
    ]);
    await network.waitReady(600_000);
    const partnerNetwork = demoPartners(options.partners, () => network.url('registry'), counters);
    await Promise.all([...partnerNetwork.partners, partnerNetwork.auditor].map((p) => p.authorization()));
    setupSeconds = (Date.now() - started) / 1000;
    log(`[${options.store}] network ready in ${setupSeconds.toFixed(1)} s; ${options.partners} partners signed in`);

    const flows = planFlows(options.flows, partnerNetwork, random);
    const faults = planFaults(options.flows, options, random);
    for (const f of faults) log(`[${options.store}] planned: ${describeFault(f)}`);
    const trafficStarted = Date.now();
    let acknowledged = 0;
    const referralsUrl = () => network.url('referrals');

    // The partners, concurrently; each runs its own flows one after the other.
    const traffic = Promise.all(
      partnerNetwork.partners.map(async (partner) => {
        for (const flow of flows.filter((f) => f.sender === partner)) {
          await runFlow(flow, options.seed, referralsUrl);
          acknowledged += 1;
        }
      }),
    );
    let trafficDone = false;
    void traffic.finally(() => (trafficDone = true));

    const strike = async (fault: Fault): Promise<string> => {
      if (fault.kind === 'kill') {
        while (!network.running(fault.service)) await sleep(50);
        network.kill(fault.service);
        return `killed at ${acknowledged} acknowledged flows`;
      }
      if (fault.kind === 'pg-cut') {
        if (!database) return 'n/a (embedded store)';
        return `${await terminateConnections(database.url)} connections terminated at ${acknowledged} flows`;
      }
      const before = network.exits.filter((e) => e.service === 'referrals' && !e.planned).length;
      writeFileSync(relayKillFile, '');
      const deadline = Date.now() + 60_000;
      while (network.exits.filter((e) => e.service === 'referrals' && !e.planned).length === before) {
        if (Date.now() > deadline) return 'NOT triggered within 60 s (no relay batch?)';
        await sleep(50);
      }
      return `relay batch interrupted at ${acknowledged} flows (published, not checkpointed)`;
    };
    const progress = setInterval(() => {
      const down = SERVICES.filter((s) => !network.running(s));
      log(
        `[${options.store}] ${acknowledged}/${options.flows} flows done, ${counters.requests} requests, ` +
          `${counters.retried} retried, ${faultsDone.length}/${faults.length} faults${down.length ? `, restarting: ${down.join(', ')}` : ''}`,
      );
    }, 3_000);
    try {
      for (const fault of faults) {
        while (acknowledged < fault.atFlows && !trafficDone) await sleep(20);
        const done = await strike(fault);
        faultsDone.push({ fault: describeFault(fault), done });
        log(`[${options.store}] fault: ${describeFault(fault)}: ${done}`);
      }
      await traffic;
      // Every flow whose step was refused is tried again with its original keys until acknowledged.
      for (let round = 1; round <= 3 && flows.some((f) => f.failed); round += 1) {
        const failed = flows.filter((f) => f.failed);
        log(
          `[${options.store}] retrying ${failed.length} unfinished flows (round ${round}), e.g. ${failed[0]!.failed}`,
        );
        await Promise.all(failed.map((f) => runFlow(f, options.seed, referralsUrl)));
      }
    } finally {
      clearInterval(progress);
    }
    trafficSeconds = (Date.now() - trafficStarted) / 1000;
    log(`[${options.store}] traffic done in ${trafficSeconds.toFixed(1)} s; settling`);

    const behind = await settle(network, 120_000);
    checks.push({
      name: 'processors caught up, none dead',
      ok: behind.length === 0,
      detail: behind.length === 0 ? 'lag 0 everywhere' : behind.slice(0, 5).join('; '),
    });
    const parked = await parkedEvents(network);
    checks.push({ name: 'no parked events', ok: parked.length === 0, detail: parked.join('; ') || '0' });
    // The relay fault kills referrals from inside (SIGKILL); any other exit the suite did not cause is a crash.
    let relayExits = options.relayKills;
    const unplanned = network.exits.filter(
      (e) => !e.planned && !e.portTaken && !(e.service === 'referrals' && e.signal === 'SIGKILL' && relayExits-- > 0),
    );
    const portsTaken = network.exits
      .filter((e) => e.portTaken)
      .map((e) => `${e.service}'s restart found its port taken`);
    checks.push({
      name: 'no unplanned crash',
      ok: unplanned.length === 0,
      detail:
        unplanned
          .map((e) => `${e.service} ${e.signal ?? e.code}${e.lastOutput ? ` after: ${e.lastOutput.slice(-600)}` : ''}`)
          .join(', ') || ['none', ...portsTaken].join('; '),
    });
    checks.push(...(await apiChecks(flows, partnerNetwork.partners, referralsUrl)));
    await network.stopAll();
    checks.push(...(await storeChecks(flows, at, { ...secrets })));
  } finally {
    await network.stopAll().catch(() => undefined);
    if (!options.keep) {
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop().catch(() => undefined);
    }
  }
  const total = (Date.now() - started) / 1000;
  return {
    store: options.store,
    seed: options.seed,
    flows: options.flows,
    seconds: {
      setup: setupSeconds,
      traffic: trafficSeconds,
      checks: total - setupSeconds - trafficSeconds,
      total,
    },
    faults: faultsDone,
    exits: network.exits,
    requests: counters.requests,
    retried: counters.retried,
    replayed: counters.replayed,
    refusalsRetried: Object.fromEntries(counters.refusalsRetried),
    checks,
    ok: checks.every((c) => c.ok),
    ...(options.keep ? { dataDir } : {}),
  };
}

/** Through the API, as the partners see it: every acknowledged write readable, every referral in its inbox. */
async function apiChecks(
  flows: Flow[],
  partners: ReturnType<typeof demoPartners>['partners'],
  referralsUrl: () => string,
): Promise<Check[]> {
  const unfinished = flows.filter((f) => !f.accepted);
  const checks: Check[] = [
    {
      name: 'every flow acknowledged (4 writes each)',
      ok: unfinished.length === 0,
      detail:
        unfinished.length === 0
          ? `${flows.length} × register, consent, refer, accept`
          : `${unfinished.length} unfinished, e.g. ${unfinished[0]!.failed ?? 'no answer'}`,
    },
  ];
  const missing: string[] = [];
  const notAccepted: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < flows.length) {
        const flow = flows[next++]!;
        if (flow.clientId) {
          const client = await flow.sender.get(`${referralsUrl()}/v1/clients/${flow.clientId}`);
          const consents = (client.body as { consents?: { consentId: string }[] }).consents ?? [];
          if (client.status !== 200) missing.push(`client ${flow.clientId}: ${client.status}`);
          else if (flow.consentId && !consents.some((c) => c.consentId === flow.consentId))
            missing.push(`consent ${flow.consentId}`);
        }
        if (flow.referralId) {
          const referral = await flow.sender.get(`${referralsUrl()}/v1/referrals/${flow.referralId}`);
          if (referral.status !== 200) missing.push(`referral ${flow.referralId}: ${referral.status}`);
          else if (flow.accepted && (referral.body as { status: string }).status !== 'accepted')
            notAccepted.push(`${flow.referralId}: ${(referral.body as { status: string }).status}`);
        }
      }
    }),
  );
  checks.push({
    name: 'every acknowledged write present',
    ok: missing.length === 0 && notAccepted.length === 0,
    detail:
      missing.length + notAccepted.length === 0
        ? `${flows.filter((f) => f.clientId).length} clients, consents, referrals readable; accepted ones accepted`
        : [...missing, ...notAccepted].slice(0, 3).join('; '),
  });

  const notInInbox: string[] = [];
  const refusedPages: string[] = [];
  for (const receiver of partners) {
    const expected = flows.filter((f) => f.receiver === receiver && f.referralId).map((f) => f.referralId!);
    if (expected.length === 0) continue;
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const answer = await receiver.get(
        `${referralsUrl()}/v1/referrals?box=inbox&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (answer.status !== 200) {
        refusedPages.push(`${receiver.email}: ${answer.status}`);
        break;
      }
      const page = answer.body as { items: { referralId: string }[]; nextCursor: string | null };
      for (const item of page.items) seen.add(item.referralId);
      cursor = page.nextCursor;
    } while (cursor);
    for (const id of expected) if (!seen.has(id)) notInInbox.push(id);
  }
  checks.push({
    name: "every referral in its receiver's inbox",
    ok: notInInbox.length === 0 && refusedPages.length === 0,
    detail:
      notInInbox.length === 0
        ? `${flows.filter((f) => f.referralId).length} found`
        : `${notInInbox.length} missing${refusedPages.length ? ` (inbox refused: ${refusedPages.slice(0, 3).join('; ')})` : ''}`,
  });
  return checks;
}

/** In the stores themselves, after a clean stop: no duplicates, every chain verifies, read models = rebuild. */
async function storeChecks(flows: Flow[], at: StoreLocation, env: Record<string, string>): Promise<Check[]> {
  const checks: Check[] = [];
  const referrals = await openServiceStores(at, 'referrals');
  try {
    const count = async (type: string, idField: string) => {
      const events = await readAllOfType(referrals.store, type);
      const ids = events.map((e) => (e.data as Record<string, string>)[idField]!);
      return { events: events.length, distinct: new Set(ids).size };
    };
    const expected = {
      ClientRegistered: flows.filter((f) => f.clientId).length,
      ConsentGiven: flows.filter((f) => f.consentId).length,
      ReferralRequested: flows.filter((f) => f.referralId).length,
      ReferralAccepted: flows.filter((f) => f.accepted).length,
    };
    const counted = {
      ClientRegistered: await count('ClientRegistered', 'clientId'),
      ConsentGiven: await count('ConsentGiven', 'consentId'),
      ReferralRequested: await count('ReferralRequested', 'referralId'),
      ReferralAccepted: await count('ReferralAccepted', 'referralId'),
    };
    const rows = Object.entries(counted).map(([type, c]) => ({
      type,
      ...c,
      expected: expected[type as keyof typeof expected],
    }));
    const duplicates = rows.reduce((n, r) => n + (r.events - r.expected), 0);
    checks.push({
      name: '0 duplicates (clients, consents, referrals, accepts)',
      ok: rows.every((r) => r.events === r.expected && r.distinct === r.expected),
      detail: rows.map((r) => `${r.type} ${r.events}/${r.expected}`).join(', ') + ` (${duplicates} extra)`,
    });
  } finally {
    await referrals.close();
  }

  let streams = 0;
  const broken: string[] = [];
  for (const service of SERVICES) {
    const stores = await openServiceStores(at, service);
    try {
      const result = await verifyAllStreams(stores.store);
      streams += result.streams;
      broken.push(...result.broken.map((b) => `${service}:${b.streamId}`));
    } finally {
      await stores.close();
    }
  }
  checks.push({
    name: 'every audit hash chain verifies',
    ok: broken.length === 0 && streams > 0,
    detail: broken.length === 0 ? `${streams} streams in 3 services` : `${broken.length} broken: ${broken[0]}`,
  });

  for (const service of ['referrals', 'registry'] as const) {
    const stores = await openServiceStores(at, service);
    let comparison: RebuildComparison;
    try {
      comparison = await compareWithRebuild(service, at, env, stores.store, stores.db);
    } finally {
      await stores.close();
    }
    checks.push({
      name: `${service} read models = rebuild from the log`,
      ok: comparison.differences.length === 0 && comparison.rows > 0,
      detail:
        comparison.differences.length === 0
          ? `${comparison.tables.length} tables, ${comparison.rows} rows equal`
          : comparison.differences
              .map((d) => `${d.table}: ${d.onlyLive} only live, ${d.onlyRebuilt} only rebuilt (${d.example})`)
              .join('; '),
    });
  }
  return checks;
}

async function readAllOfType(store: EventStore, type: string) {
  const events = [];
  let after: number | undefined;
  for (;;) {
    const page = await store.readAll({ types: [type], maxCount: 1000, ...(after === undefined ? {} : { after }) });
    events.push(...page);
    if (page.length < 1000) return events;
    after = page[page.length - 1]!.position;
  }
}
