/**
 * `pnpm test:faults`: the fault-injection suite. Starts the real registry, referrals and matching
 * processes, once on the embedded default (SQLite under a temporary DATA_DIR) and once on PostgreSQL (a
 * fresh database on PG_URL's server), drives FAULT_FLOWS referral flows (default 2,000) from 20
 * partners with Idempotency-Keys while services are SIGKILLed, PostgreSQL connections are cut and the
 * relay is killed inside a batch, then checks that nothing was lost or done twice and prints a table.
 *
 * FAULT_SEED replays a run; FAULT_STORES=sqlite,postgres; FAULT_KILLS (default 5); FAULT_KEEP=true keeps
 * the data. Exit code 1 if a check failed. Under CI=true an unreachable PostgreSQL fails the run.
 */
import { isPostgresReachable } from '../../infra/src/testing/postgres.js';
import { runFaultSuite, type FaultRunResult } from './faultRun.js';
import { formatReport } from './report.js';
import type { StoreKind } from './openStores.js';

const env = process.env;
const seed = Number(env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const stores = (env.FAULT_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as StoreKind[];
const pgServer = env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const results: FaultRunResult[] = [];
const started = Date.now();
console.log(`fault-injection suite: FAULT_SEED=${seed}`);
let failed = false;
for (const store of stores) {
  if (store === 'postgres' && !(await isPostgresReachable(pgServer))) {
    const message = `PostgreSQL unreachable at ${pgServer.replace(/\/\/[^@/]*@/, '//')}`;
    if (env.CI === 'true') throw new Error(`${message} and CI=true: failing, not skipping`);
    console.log(`skipped postgres: ${message} (set PG_URL)`);
    continue;
  }
  const result = await runFaultSuite({
    store,
    seed,
    flows: Number(env.FAULT_FLOWS ?? 2000),
    partners: Number(env.FAULT_PARTNERS ?? 20),
    kills: Number(env.FAULT_KILLS ?? 5),
    pgCuts: store === 'postgres' ? Number(env.FAULT_PG_CUTS ?? 1) : 0,
    relayKills: Number(env.FAULT_RELAY_KILLS ?? 1),
    ...(store === 'postgres' ? { pgUrl: pgServer } : {}),
    keep: env.FAULT_KEEP === 'true',
    log: (line) => console.log(line),
  });
  results.push(result);
  failed ||= !result.ok;
}
console.log(`\n${formatReport(results)}`);
console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed || results.length === 0 ? 1 : 0);
