import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONTRACT_CHECK_ENV,
  CONTRACT_DRIFT_FILE_ENV,
  takeContractDrifts,
  type ContractDrift,
} from '../infra/src/http/contractConformance.js';
import { afterEach } from 'vitest';

// Every answer a test sees, in process or from a service process it started, is checked against the
// service's OpenAPI document; a drift fails the test that saw it.
process.env[CONTRACT_CHECK_ENV] ??= '1';
process.env[CONTRACT_DRIFT_FILE_ENV] ??= join(tmpdir(), `estia-contract-drifts-${process.pid}.jsonl`);
const driftFile = process.env[CONTRACT_DRIFT_FILE_ENV];

const fromChildren = (): ContractDrift[] => {
  if (!existsSync(driftFile)) return [];
  const lines = readFileSync(driftFile, 'utf8').split('\n').filter(Boolean);
  writeFileSync(driftFile, '');
  return lines.map((line) => JSON.parse(line) as ContractDrift);
};

afterEach(() => {
  const drifts = [...takeContractDrifts(), ...fromChildren()];
  if (drifts.length === 0) return;
  const lines = drifts.map((d) => `${d.service} ${d.method} ${d.url} → ${d.status}: ${d.problems.join('; ')}`);
  throw new Error(`answers that do not match the OpenAPI documents:\n${[...new Set(lines)].join('\n')}`);
});
