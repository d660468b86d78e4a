/**
 * Growth curves for benchmarks: a benchmark body runs at several sizes (the default and two larger),
 * each size in a fresh child process so its memory (peak RSS) and caches are its own. The parent
 * prints a table size → phase times / p50 / p95 / peak RSS, fits each column's exponent by
 * least squares on log-log (1.0 = linear in the size, 0 = flat), and writes the curve to
 * bench/results/<name>.json.
 *
 * Sizes come from `<ENV>=a,b,c` (the benchmark names its variable) or `BENCH_SIZES=a,b,c`; a single
 * size (`BENCH_SIZES=5000`) runs one point without a fit. Progress goes to stderr once a second.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** What one size measured. Phases are seconds of work (seeding, projecting…), latencies milliseconds. */
export interface CurvePoint {
  size: number;
  /** Seconds per named phase, always measured in this run. */
  phases: Record<string, number>;
  /** Latency summaries per named kind (milliseconds). */
  latencies: Record<string, LatencySummary>;
  /** Counts and rates the benchmark wants kept (events appended, events/s…). */
  figures: Record<string, number>;
  /** Peak resident set size of the child process, MB. */
  peakRssMb: number;
  /** Anything else, kept verbatim in the JSON. */
  detail?: unknown;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface PointRecorder {
  phase<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Seconds a finished phase took. */
  phaseSeconds(name: string): number;
  latency(name: string, samplesMs: readonly number[]): LatencySummary;
  figure(name: string, value: number): void;
  detail(value: unknown): void;
  /** Shows `done/total` for `label` on stderr at most once a second. */
  progress(label: string, done: number, total: number): void;
}

export interface CurveSpec {
  /** Results file name (bench/results/<name>.json) and the table's title. */
  name: string;
  /** What the size counts ("services", "events"). */
  unit: string;
  /** Environment variable that sets the sizes, e.g. BENCH_REGISTRY_SIZES=25000,50000,100000. */
  sizesEnv: string;
  defaultSizes: readonly number[];
  /** Kept in the JSON beside the points (adapter, targets…). */
  meta?: Record<string, unknown>;
  /** Measures one size. Runs in a child process of its own. */
  body(size: number, record: PointRecorder): Promise<void>;
  /** Checks the finished curve against targets; the lines are printed and kept in the JSON. */
  verdict?(points: readonly CurvePoint[], exponents: Exponents): string[];
}

export type Exponents = Record<string, number | null>;

const CHILD_SIZE = 'ESTIA_CURVE_SIZE';
const CHILD_OUT = 'ESTIA_CURVE_OUT';
const CHILD_NAME = 'ESTIA_CURVE_NAME';

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

export function summarise(samplesMs: readonly number[]): LatencySummary {
  const s = [...samplesMs].sort((a, b) => a - b);
  if (s.length === 0) return { n: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    n: s.length,
    p50: round(quantile(s, 0.5)),
    p95: round(quantile(s, 0.95)),
    p99: round(quantile(s, 0.99)),
    max: round(s[s.length - 1]!),
  };
}

/** Slope of log(y) over log(x) by least squares; null with fewer than two usable points. */
export function fitExponent(xs: readonly number[], ys: readonly number[]): number | null {
  const pairs = xs.map((x, i) => [x, ys[i]!] as const).filter(([x, y]) => x > 0 && y > 0);
  if (pairs.length < 2) return null;
  const lx = pairs.map(([x]) => Math.log(x));
  const ly = pairs.map(([, y]) => Math.log(y));
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return den === 0 ? null : round(num / den);
}

export function sizesFrom(env: string, defaults: readonly number[]): number[] {
  const raw = process.env[env] ?? process.env.BENCH_SIZES;
  if (!raw) return [...defaults];
  const sizes = raw.split(',').map((s) => Number(s.trim()));
  if (sizes.some((s) => !Number.isFinite(s) || s <= 0)) throw new Error(`${env}: sizes must be positive, got ${raw}`);
  return sizes;
}

function recorder(point: CurvePoint): PointRecorder {
  const shown = new Map<string, number>();
  return {
    async phase(name, work) {
      const started = performance.now();
      log(`  [${point.size}] ${name} …`);
      const result = await work();
      point.phases[name] = round((performance.now() - started) / 1000, 3);
      log(`  [${point.size}] ${name}: ${point.phases[name]} s`);
      return result;
    },
    phaseSeconds(name) {
      const seconds = point.phases[name];
      if (seconds === undefined) throw new Error(`no phase ${name} measured yet`);
      return seconds;
    },
    latency(name, samples) {
      const summary = summarise(samples);
      point.latencies[name] = summary;
      log(`  [${point.size}] ${name.padEnd(34)} p50 ${summary.p50} ms  p95 ${summary.p95} ms  p99 ${summary.p99} ms`);
      return summary;
    },
    figure(name, value) {
      point.figures[name] = round(value, 3);
    },
    detail(value) {
      point.detail = value;
    },
    progress(label, done, total) {
      const now = performance.now();
      const last = shown.get(label) ?? 0;
      if (now - last < 1000 && done < total) return;
      shown.set(label, now);
      log(`  [${point.size}] ${label}: ${done}/${total}`);
    },
  };
}

async function runChild(spec: CurveSpec, size: number, out: string): Promise<void> {
  const point: CurvePoint = { size, phases: {}, latencies: {}, figures: {}, peakRssMb: 0 };
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  sampler.unref();
  try {
    await spec.body(size, recorder(point));
  } finally {
    clearInterval(sampler);
  }
  // maxRSS is kilobytes on Linux; the sampler covers platforms where it is not.
  point.peakRssMb = round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20, 1);
  writeFileSync(out, JSON.stringify(point));
}

function spawnSize(name: string, size: number, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], {
      env: { ...process.env, [CHILD_SIZE]: String(size), [CHILD_OUT]: out, [CHILD_NAME]: name },
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`size ${size} failed (exit ${code ?? signal})`)),
    );
  });
}

/** Columns of the table and of the fit: every phase, every latency's p50 and p95, peak RSS. */
function columns(points: readonly CurvePoint[]): Array<[string, (p: CurvePoint) => number | undefined]> {
  const phases = [...new Set(points.flatMap((p) => Object.keys(p.phases)))];
  const kinds = [...new Set(points.flatMap((p) => Object.keys(p.latencies)))];
  return [
    ...phases.map((n) => [`${n} s`, (p: CurvePoint) => p.phases[n]] as [string, (p: CurvePoint) => number | undefined]),
    ...kinds.flatMap((k) => [
      [`${k} p50`, (p: CurvePoint) => p.latencies[k]?.p50] as [string, (p: CurvePoint) => number | undefined],
      [`${k} p95`, (p: CurvePoint) => p.latencies[k]?.p95] as [string, (p: CurvePoint) => number | undefined],
    ]),
    ['peak RSS MB', (p: CurvePoint) => p.peakRssMb],
  ];
}

function table(spec: CurveSpec, points: readonly CurvePoint[], exponents: Exponents): string {
  const cols = columns(points);
  const width = Math.max(12, ...cols.map(([n]) => n.length));
  const header = `${'column'.padEnd(width)}  ${points.map((p) => String(p.size).padStart(10)).join('')}  exponent`;
  const lines = cols.map(
    ([name, get]) =>
      `${name.padEnd(width)}  ${points.map((p) => String(get(p) ?? '—').padStart(10)).join('')}  ${exponents[name] ?? '—'}`,
  );
  return [`${spec.name}: growth over ${spec.unit}`, header, ...lines].join('\n');
}

/**
 * Runs the curve (or, inside a child, one of its sizes). A benchmark may run several curves one after
 * the other (one per store, say): a child measures only the one it was started for.
 */
export async function runCurve(spec: CurveSpec): Promise<void> {
  const childSize = process.env[CHILD_SIZE];
  if (childSize) {
    if (process.env[CHILD_NAME] === spec.name) await runChild(spec, Number(childSize), process.env[CHILD_OUT]!);
    return;
  }
  const sizes = sizesFrom(spec.sizesEnv, spec.defaultSizes);
  const work = mkdtempSync(join(tmpdir(), `estia-curve-${spec.name}-`));
  const points: CurvePoint[] = [];
  const loadStart = loadavg().map((l) => round(l));
  const started = performance.now();
  try {
    for (const [i, size] of sizes.entries()) {
      log(`${spec.name}: size ${size} ${spec.unit} (${i + 1}/${sizes.length})`);
      const out = join(work, `${size}.json`);
      await spawnSize(spec.name, size, out);
      points.push(JSON.parse(readFileSync(out, 'utf8')) as CurvePoint);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const xs = points.map((p) => p.size);
  const exponents: Exponents = Object.fromEntries(
    columns(points).map(([name, get]) => [
      name,
      fitExponent(
        xs,
        points.map((p) => get(p) ?? 0),
      ),
    ]),
  );
  const verdict = spec.verdict?.(points, exponents) ?? [];
  console.log(`\n${table(spec, points, exponents)}`);
  for (const line of verdict) console.log(line);
  const result = {
    benchmark: spec.name,
    unit: spec.unit,
    at: new Date().toISOString(),
    machine: {
      cpus: availableParallelism(),
      cpu: cpus()[0]?.model,
      node: process.version,
      // Other work on the machine skews every figure: a load above half the cores at the start says so.
      sharedWithOtherWork: loadStart[0]! >= availableParallelism() / 2,
      loadAverage: { start: loadStart, end: loadavg().map((l) => round(l)) },
    },
    totalSeconds: round((performance.now() - started) / 1000, 1),
    ...spec.meta,
    sizes,
    points,
    exponents,
    verdict,
  };
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${spec.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
