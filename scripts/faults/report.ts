import type { FaultRunResult } from './faultRun.js';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The table the suite prints: one row per check, one column per store, then the faults and figures. */
export function formatReport(results: readonly FaultRunResult[]): string {
  const names = [...new Set(results.flatMap((r) => r.checks.map((c) => c.name)))];
  const width = Math.max(...names.map((n) => n.length), 10) + 2;
  const lines: string[] = [];
  lines.push(`fault-injection suite, FAULT_SEED=${results[0]?.seed} (set it to replay this run)`);
  lines.push('');
  lines.push(pad('check', width) + results.map((r) => pad(r.store, 10)).join(''));
  lines.push('-'.repeat(width + 10 * results.length));
  for (const name of names)
    lines.push(
      pad(name, width) +
        results
          .map((r) => {
            const check = r.checks.find((c) => c.name === name);
            return pad(check ? (check.ok ? 'PASS' : 'FAIL') : '-', 10);
          })
          .join(''),
    );
  lines.push('');
  for (const r of results) {
    lines.push(
      `[${r.store}] ${r.flows} flows, ${r.requests} requests (${r.retried} retried with their key, ${r.replayed} answered by replay); ` +
        `${r.seconds.total.toFixed(1)} s (setup ${r.seconds.setup.toFixed(1)}, traffic ${r.seconds.traffic.toFixed(1)}, checks ${r.seconds.checks.toFixed(1)})`,
    );
    for (const f of r.faults) lines.push(`  fault: ${f.fault}: ${f.done}`);
    const refusals = Object.entries(r.refusalsRetried);
    if (refusals.length > 0)
      lines.push(`  refusals retried (facts still on their way): ${refusals.map(([t, n]) => `${t} ×${n}`).join(', ')}`);
    for (const c of r.checks) lines.push(`  ${c.ok ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`);
    if (r.dataDir) lines.push(`  data kept in ${r.dataDir}`);
  }
  return lines.join('\n');
}
