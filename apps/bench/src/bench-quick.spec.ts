import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reaches, type BenchRow } from './bench-table';
import { ARRIVAL_NOTE, FAILURES_NOTE } from './line-notes';
import { formatCount, type Figure, type Latencies } from './measure';

/**
 * `npm run bench -- --quick` end to end, as documented (build, then every suite on the real
 * PostgreSQL and Redis): the smoke check that keeps the benchmark itself working. Nothing here
 * is about speed (tests never assert on it): every line of the table must be there, each with
 * finite figures and its reference, ratios that are the figures' own, a "met" that agrees with
 * its goal, and the work the lines stand for done in full (every webhook delivered once, every
 * request answered).
 */
const ROOT = join(__dirname, '..', '..', '..');
const RUN_TIMEOUT_MS = 300_000;

/** The part of the run's `--json` file checked here. */
interface BenchJson {
  readonly timings: Record<string, number>;
  readonly rows: readonly BenchRow[];
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: BenchJson;
  readonly svg: string;
}

async function runBench(args: readonly string[]): Promise<Run> {
  const folder = mkdtempSync(join(tmpdir(), 'ahe-bench-quick-'));
  try {
    const jsonFile = join(folder, 'bench.json');
    const chartFile = join(folder, 'bench.svg');
    const child = spawn('npm', ['run', 'bench', '--silent', '--', ...args, '--json', jsonFile, '--chart', chartFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        throw new Error(`the bench exited with ${code} and wrote no ${file}; its output:\n${stdout}\n${stderr}`);
      }
    };
    return { code, stdout, stderr, json: JSON.parse(read(jsonFile)) as BenchJson, svg: read(chartFile) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function expectFigure(figure: Figure | undefined, what: string): void {
  expect({ what, figure }).toEqual({ what, figure: expect.objectContaining({ median: expect.any(Number) }) });
  const { min, median, max } = figure!;
  for (const value of [min, median, max]) {
    expect({ what, finiteAndPositive: Number.isFinite(value) && value > 0 }).toEqual({ what, finiteAndPositive: true });
  }
  expect({ what, ordered: min <= median && median <= max }).toEqual({ what, ordered: true });
}

function expectLatencies(latency: Latencies | undefined, what: string): void {
  expect({ what, latency }).toEqual({ what, latency: expect.objectContaining({ p50: expect.any(Number), p99: expect.any(Number) }) });
  const { p50, p99, max } = latency!;
  expect({ what, ordered: p50 > 0 && p50 <= p99 && p99 <= max && Number.isFinite(max) }).toEqual({ what, ordered: true });
}

/** What every row of a run must hold, whatever the machine's speed. */
function expectConsistentRows(run: Run, figures: readonly RegExp[]): void {
  expect({ code: run.code, stderrTail: run.code === 0 ? '' : run.stderr.slice(-3000) }).toEqual({ code: 0, stderrTail: '' });
  const rows = run.json.rows;
  expect(rows.map((row) => row.figure)).toEqual(figures.map((figure) => expect.stringMatching(figure)));
  for (const row of rows) {
    const what = row.figure;
    if (row.rate) expectFigure(row.rate, what);
    if (row.latency) expectLatencies(row.latency, what);
    if (row.reference?.rate) expectFigure(row.reference.rate, `${what}: reference`);
    if (row.reference?.latency) expectLatencies(row.reference.latency, `${what}: reference`);
    if (row.ratio !== undefined) {
      // The ratio is the figures' own: median over the reference's median.
      expect({ what, ratio: row.ratio }).toEqual({ what, ratio: expect.closeTo(row.rate!.median / row.reference!.rate!.median, 9) });
    }
    // A line marked met reaches its goal; one with a goal always says whether it was met.
    if (row.target) expect({ what, met: typeof row.met }).toEqual({ what, met: 'boolean' });
    if (row.met) expect({ what, reaches: reaches(row.target!, row) }).toEqual({ what, reaches: true });
    // The table printed on stdout carries every line.
    expect({ what, printed: run.stdout.includes(row.figure.replace(/\|/g, '\\|')) }).toEqual({ what, printed: true });
  }
  // And the chart was drawn.
  expect(run.svg).toMatch(/^<svg[\s>]/);
}

describe('npm run bench -- --quick (the smoke check, end to end)', () => {
  it('prints every line of the table on PostgreSQL and Redis, each beside its reference, with the work behind it done in full', async () => {
    const run = await runBench(['--quick']);
    expectConsistentRows(run, [
      /^bulk import, POST \/v1\/import .* — PostgreSQL$/,
      /^bulk import, ahe import <file> — PostgreSQL$/,
      /^small file, ahe import <file> — PostgreSQL$/,
      /^store append, batches of 100 — PostgreSQL$/,
      /^store append, batches of 1 — PostgreSQL$/,
      /^HTTP commands .* — PostgreSQL$/,
      /^projections: store readAll scan.* — PostgreSQL$/,
      /^projection rebuild of all read models.* — PostgreSQL$/,
      /^live lag: .* — PostgreSQL$/,
      /^GET \/v1\/health\/:id .* — PostgreSQL$/,
      /^GET \/v1\/health\?sort=-churnRisk&limit=50 .* — PostgreSQL$/,
      /^GET \/v1\/health\?band=red.* — PostgreSQL$/,
      /^as-of health of a .* — PostgreSQL$/,
      /^as-of health, first request .* — PostgreSQL$/,
      /^escalation: command → signed webhook/,
      /^escalation queue, no-op jobs/,
    ]);
    const byStart = (start: string) => run.json.rows.find((row) => row.figure.startsWith(start))!;
    // Every escalation's webhook arrived, and none twice.
    const escalation = byStart('escalation: command');
    const arrived = ARRIVAL_NOTE.exec(escalation.note ?? '');
    expect(arrived).not.toBeNull();
    expect({ arrived: Number(arrived![1]), duplicates: Number(arrived![3]) }).toEqual({ arrived: Number(arrived![2]), duplicates: 0 });
    // Every command and read was answered with a 2xx (a line counts the others in its note).
    for (const start of ['HTTP commands', 'GET /v1/health/:id', 'GET /v1/health?sort', 'GET /v1/health?band']) {
      expect({ start, failed: FAILURES_NOTE.exec(byStart(start).note ?? '')?.[0] ?? null }).toEqual({ start, failed: null });
    }
    // Each read line records the open loop's offered rate as a number (what --compare reads), the one its text states.
    for (const start of ['GET /v1/health/:id', 'GET /v1/health?sort', 'GET /v1/health?band']) {
      const { offeredRate, latencyLoad } = byStart(start);
      expect({ start, positive: typeof offeredRate === 'number' && offeredRate > 0 }).toEqual({ start, positive: true });
      expect({ start, latencyLoad }).toEqual({ start, latencyLoad: `${formatCount(offeredRate!)} req/s offered` });
      // The load client reports its own pauses, a count and the longest for each timed run of the route and of the bare route.
      const note = byStart(start).note ?? '';
      const runs = (/p99 per run ([\d/]+) ms, client send lag/.exec(note)?.[1] ?? '').split('/').length;
      const pauses = [...note.matchAll(/load client scavenges ((?:\d+ \(longest \d+\.\d\)(?: \/ )?)+)[,;]/g)].map((match) => match[1]!.split(' / ').length);
      expect({ start, pauses }).toEqual({ start, pauses: [runs, runs] });
    }
    // The run describes the machine and the time each suite took.
    expect(run.stdout).toMatch(/^Machine: .*\d+ cores/m);
    expect(run.stdout).toMatch(/^PostgreSQL settings: shared_buffers=/m);
    expect(Object.keys(run.json.timings).sort()).toEqual(['append', 'as-of', 'escalations', 'http', 'import', 'lag', 'projections', 'reads']);
  }, RUN_TIMEOUT_MS);

  it('runs every line but the escalations on the embedded store with --embedded, the references and the read data set there too', async () => {
    const run = await runBench(['--quick', '--embedded', '--suite', 'import,append,http,projections,lag,reads,as-of']);
    expectConsistentRows(run, [
      /^bulk import, POST \/v1\/import .* — embedded \(PGlite\)$/,
      /^bulk import, ahe import <file> — embedded \(PGlite\)$/,
      /^small file, ahe import <file> — embedded \(PGlite\)$/,
      /^store append, batches of 100 — embedded \(PGlite\)$/,
      /^store append, batches of 1 — embedded \(PGlite\)$/,
      /^HTTP commands .* — embedded \(PGlite\)$/,
      /^projections: store readAll scan.* — embedded \(PGlite\)$/,
      /^projection rebuild of all read models.* — embedded \(PGlite\)$/,
      /^live lag: .* — embedded \(PGlite\)$/,
      /^GET \/v1\/health\/:id .* — embedded \(PGlite\)$/,
      /^GET \/v1\/health\?sort=-churnRisk&limit=50 .* — embedded \(PGlite\)$/,
      /^GET \/v1\/health\?band=red.* — embedded \(PGlite\)$/,
      /^as-of health of a .* — embedded \(PGlite\)$/,
      /^as-of health, first request .* — embedded \(PGlite\)$/,
    ]);
    const byStart = (start: string) => run.json.rows.find((row) => row.figure.startsWith(start))!;
    // Every command and read was answered with a 2xx, and the command line's reference inserted into PGlite as well.
    for (const start of ['HTTP commands', 'GET /v1/health/:id', 'GET /v1/health?sort', 'GET /v1/health?band']) {
      expect({ start, failed: FAILURES_NOTE.exec(byStart(start).note ?? '')?.[0] ?? null }).toEqual({ start, failed: null });
    }
    expect(byStart('HTTP commands').reference?.name).toMatch(/PGlite/);
    // The reads served a data set of their own in an embedded folder, and the rebuild's CPU is the one process's.
    expect(byStart('GET /v1/health/:id').note).toMatch(/; embedded folder \S+ahe-bench-dataset-\d+-embedded/);
    expect(byStart('projection rebuild').note).toMatch(/CPU per event: this process, PGlite included, [\d.]+ µs/);
    // The store reads the log faster than the plain scan that is the rebuild's reference: the note gives the rebuild against both.
    const rebuild = byStart('projection rebuild');
    const ownScan = byStart('projections: store readAll scan');
    expect(rebuild.note).toContain(`${(rebuild.rate!.median / ownScan.rate!.median).toFixed(2)} × the store's own readAll scan`);
  }, RUN_TIMEOUT_MS);
});
