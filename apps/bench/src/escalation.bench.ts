import { escalationLatencyBench, type LatencyResult } from './escalation-latency.bench';
import { formatMs, formatRate, table, type Latencies } from './measure';
import { queueThroughputBench, type QueueThroughput, type Variant } from './queue-throughput.bench';

/**
 * The escalation suite: command → webhook latency of the whole engine in one process (a
 * latency has no same-run reference; its breakdown into stages says which hop costs what),
 * then jobs per second through the engine's queue adapter against bare BullMQ on the same Redis.
 */
export interface EscalationBenchOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Critical complaints, one per fresh account. */
  readonly complaints: number;
  readonly ratePerSecond: number;
  readonly clients: number;
  /** Jobs per queue throughput run. */
  readonly queueJobs: number;
  readonly runs: number;
  readonly concurrencies: readonly number[];
  readonly log: (line: string) => void;
}

export async function escalationBench(options: EscalationBenchOptions): Promise<string> {
  const latency = await escalationLatencyBench(options);
  const throughput = await queueThroughputBench({ ...options, jobs: options.queueJobs });
  return [latencySection(options, latency), '', throughputSection(options, throughput)].join('\n');
}

function latencySection(options: EscalationBenchOptions, result: LatencyResult): string {
  const row = (label: string, figure: Latencies) => [label, formatMs(figure.p50), formatMs(figure.p99), formatMs(figure.max)];
  const others = Object.entries(result.others);
  return [
    `Escalations: command → webhook — ${options.complaints} critical complaints on fresh accounts, ${options.ratePerSecond}/s from ${options.clients} clients`,
    '(engine in one process: HTTP + projections + escalation workers; PostgreSQL + Redis; webhook to a local receiver)',
    '',
    table(
      ['figure', 'p50', 'p99', 'max'],
      [row('command sent → EscalationOpened webhook arrived', result.latency), ...result.stages.map((stage) => row(`  ${stage.label}`, stage.latency))],
    ),
    '',
    `webhooks (EscalationOpened, critical-complaint): ${result.arrived} of ${result.expected} accounts, ${result.duplicates} duplicate(s)`,
    `other escalation webhooks: ${others.length === 0 ? 'none (only critical-complaint fired)' : others.map(([key, count]) => `${key} ×${count}`).join(', ')}`,
    `open jobs completed in the escalations queue: ${result.openJobsCompleted}; stages traced for ${result.stages[0]?.latency.count ?? 0} accounts`,
    `sender behind schedule by at most ${formatMs(result.maxLateMs)}`,
    `while timed: event-loop delay p50 ${formatMs(result.eventLoopDelay.p50)}, p99 ${formatMs(result.eventLoopDelay.p99)}, max ${formatMs(result.eventLoopDelay.max)}; ` +
      `this process used ${result.processCores.toFixed(2)} core(s); machine load average ${result.loadAverage.toFixed(2)}`,
  ].join('\n');
}

const LABELS: Readonly<Record<Variant, string>> = {
  bare: 'bare BullMQ (Queue.addBulk + Worker, default options)',
  'bare-engine-options': "bare BullMQ with the adapter's job options",
  engine: 'engine adapter (BullMqEscalationQueue.enqueue + process)',
};

function throughputSection(options: EscalationBenchOptions, results: readonly QueueThroughput[]): string {
  const rows = results.flatMap(({ concurrency, rates }) =>
    (['bare', 'bare-engine-options', 'engine'] as const).map((variant) => [
      LABELS[variant],
      String(concurrency),
      formatRate(rates[variant]),
      (rates[variant].median / rates.bare.median).toFixed(2),
    ]),
  );
  return [
    `Escalation queue throughput — ${options.queueJobs} no-op jobs per run in batches of 500, median of ${options.runs} run(s)`,
    '',
    table(['figure', 'concurrency', 'jobs/s (min–max)', '× bare BullMQ'], rows),
  ].join('\n');
}
