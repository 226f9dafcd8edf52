import type { StoredRun } from './bench-compare';
import { goalOf, type BenchRow } from './bench-table';
import type { MachineInfo } from './machine-info';

export const figure = (median: number, min = median, max = median) => ({ median, min, max });

/** A ratio line: the engine's rate (with its spread over runs) against a reference's median. */
export const ratioLine = (name: string, rate: ReturnType<typeof figure>, reference: number, minRatio = 0.5): BenchRow => {
  const ratio = rate.median / reference;
  return { figure: name, rate, unit: 'events/s', reference: { name: 'scan', rate: figure(reference) }, ratio, ...goalOf({ minRatio }), met: ratio >= minRatio };
};

/** A latency line held to a p99, with each run's p99 when given. */
export const latencyLine = (name: string, p99: number, p99Runs?: number[], maxMs = 20): BenchRow => ({
  figure: name,
  latency: { count: 1_000, p50: p99 / 4, p99, max: p99 * 2, ...(p99Runs ? { p99Runs } : {}) },
  ...goalOf({ maxMs }),
  met: p99 <= maxMs,
});

export const run = (rows: BenchRow[], machine?: Partial<MachineInfo>): StoredRun => ({ command: 'npm run bench -- --json then.json', at: '2026-12-05T06:27:09.052Z', rows, ...(machine ? { machine: machine as MachineInfo } : {}) });
