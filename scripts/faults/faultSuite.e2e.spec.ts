/**
 * The fault-injection suite, bounded (`pnpm test:faults` is the full run): the real registry, referrals
 * and matching processes on the embedded store and on PostgreSQL, 150 referral flows from 20 partners,
 * two SIGKILLs, one cut of every PostgreSQL connection, one relay killed inside a batch; then every
 * check of the full run must pass. Both stores run at once (each in its own data directory/database).
 */
import { describe, expect, it } from 'vitest';
import { PG_URL, postgresAvailable } from '../../infra/src/testing/postgres.js';
import { runFaultSuite, type FaultRunResult } from './faultRun.js';
import { formatReport } from './report.js';
import type { StoreKind } from './openStores.js';

const seed = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
// Under CI=true an unreachable server throws here: the file fails, it is not skipped.
const pgUp = await postgresAvailable();

const bounded = (store: StoreKind): Promise<FaultRunResult> =>
  runFaultSuite({
    store,
    seed,
    flows: 150,
    partners: 20,
    kills: 2,
    pgCuts: store === 'postgres' ? 1 : 0,
    relayKills: 1,
    ...(store === 'postgres' ? { pgUrl: PG_URL } : {}),
    // FAULT_KEEP=true keeps the data directory and the services' logs of a failed run to read.
    keep: process.env.FAULT_KEEP === 'true',
    log: () => undefined,
  });

describe(`fault injection, bounded (FAULT_SEED=${seed})`, () => {
  const expectAllPassed = (result: FaultRunResult) => {
    console.log(formatReport([result]));
    expect(result.faults.filter((f) => f.fault.startsWith('SIGKILL'))).toHaveLength(2);
    expect(result.faults.find((f) => f.fault.startsWith('referrals relay'))?.done).toMatch(/^relay batch interrupted/);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
  };

  it.concurrent(
    'embedded store: nothing lost, nothing doubled, every check passes',
    async () => {
      expectAllPassed(await bounded('sqlite'));
    },
    600_000,
  );

  it.skipIf(!pgUp).concurrent(
    'PostgreSQL: the same, with every connection cut once',
    async () => {
      const result = await bounded('postgres');
      expect(result.faults.find((f) => f.fault.startsWith('pg_terminate_backend'))?.done).toMatch(
        /connections terminated/,
      );
      expectAllPassed(result);
    },
    600_000,
  );
});
