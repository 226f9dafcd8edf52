import { type BenchRow, type BenchTarget, goalOf, reaches } from './bench-table';
import { escalationLatencyBench, type LatencyResult } from './escalation-latency.bench';
import { arrivalNote } from './line-notes';
import { formatCount, formatMs, windowsNote } from './measure';
import { queueThroughputBench, type QueueThroughput } from './queue-throughput.bench';

/**
 * The escalation suite: command → webhook latency of the whole engine in one process (a
 * latency has no same-run reference; its breakdown into stages, in the note, says which hop
 * costs what), then jobs per second through the engine's queue adapter against bare BullMQ
 * on the same Redis in the same run.
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

const LATENCY_TARGET: BenchTarget = { maxMs: 500 };

export async function escalationBench(options: EscalationBenchOptions): Promise<BenchRow[]> {
  const latency = await escalationLatencyBench(options);
  const throughput = await queueThroughputBench({ ...options, jobs: options.queueJobs });
  return [latencyRow(options, latency), ...throughput.map((result) => throughputRow(options, result))];
}

function latencyRow(options: EscalationBenchOptions, result: LatencyResult): BenchRow {
  const complete = result.arrived === result.expected && result.duplicates === 0 && Object.keys(result.others).length === 0;
  const stages = result.stages.map((stage) => `${stage.label.replace(/\s+/g, ' ').trim()} ${formatMs(stage.latency.p99)}`).join('; ');
  const windows = windowsNote(result.latency, 'the complaints by when each was sent');
  const others = Object.entries(result.others).map(([key, count]) => `${key} ×${count}`).join(', ');
  return {
    figure: 'escalation: command → signed webhook — PostgreSQL + Redis',
    latency: result.latency,
    ...goalOf(LATENCY_TARGET),
    met: complete && reaches(LATENCY_TARGET, { latency: result.latency }),
    note:
      `${options.complaints} critical complaints on fresh accounts at ${options.ratePerSecond}/s from ${options.clients} clients, the engine in this process ` +
      `(HTTP + projections + workers), webhooks to a local receiver${windows ? `; ${windows}` : ''}; ${arrivalNote(result.arrived, result.expected, result.duplicates)}` +
      `${others ? `, unexpected: ${others}` : ''}; stage p99s: ${stages}; event-loop stall p99 ${formatMs(result.eventLoopDelay.p99)}, ` +
      `${result.processCores.toFixed(2)} core(s) used, load average ${result.loadAverage.toFixed(2)}`,
  };
}

function throughputRow(options: EscalationBenchOptions, { concurrency, rates }: QueueThroughput): BenchRow {
  const optionsCost = rates['bare-engine-options'].median / rates.bare.median;
  return {
    figure: `escalation queue, no-op jobs, concurrency ${concurrency} — Redis`,
    rate: rates.engine,
    unit: 'jobs/s',
    reference: { name: 'bare BullMQ add/process loop', rate: rates.bare },
    ratio: rates.engine.median / rates.bare.median,
    note:
      `${options.queueJobs} jobs per run in batches of 500, median of ${options.runs}, variants taking turns; bare BullMQ with the adapter's ` +
      `job options alone: ${formatCount(rates['bare-engine-options'].median)} jobs/s (${optionsCost.toFixed(2)} ×); no goal (the queue carries far more than the latency run's rate)`,
  };
}
