import { readFile } from 'node:fs/promises';
import type { SqlClient } from '@ahe/database';
import type { StoreTarget } from './store-target';

// The projections line's CPU a rebuilt event, by process (projection.bench.ts).

/** Names this run's connections in pg_stat_activity, so their backends' CPU can be read from /proc. */
const APPLICATION_NAME = 'ahe_bench_projections';

/** The run's connection string, its connections named APPLICATION_NAME. */
export function withApplicationName(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}application_name=${APPLICATION_NAME}`;
}

/**
 * CPU this process and its PostgreSQL backends spend, per event: on a shared machine the
 * steadier figure than the rate. Backends are found by application name and read from /proc
 * (the server runs on this machine); one that ends during the run loses its share. The
 * embedded store's PostgreSQL runs inside this process, on a thread of its own or the main one.
 */
export class CpuMeter {
  private constructor(
    private readonly sql: SqlClient,
    private readonly node: NodeJS.CpuUsage,
    private readonly backends: Map<number, number> | null,
  ) {}

  static async start(sql: SqlClient, store: StoreTarget['kind']): Promise<CpuMeter> {
    return new CpuMeter(sql, process.cpuUsage(), store === 'postgres' ? await backendTicks(sql) : null);
  }

  async perEvent(events: number): Promise<string> {
    const node = process.cpuUsage(this.node);
    if (this.backends === null) return `CPU per event: this process, PGlite included, ${((node.user + node.system) / events).toFixed(1)} µs`;
    const after = await backendTicks(this.sql);
    let ticks = 0;
    for (const [pid, now] of after) ticks += now - (this.backends.get(pid) ?? 0);
    const nodeUs = (node.user + node.system) / events;
    const databaseUs = (ticks * 10_000) / events;
    return `CPU per event: Node ${nodeUs.toFixed(1)} µs, PostgreSQL backends ${databaseUs.toFixed(1)} µs (${after.size} backends)`;
  }
}

/** utime + stime (clock ticks of 10 ms) of each backend of this run's connections. */
async function backendTicks(sql: SqlClient): Promise<Map<number, number>> {
  const { rows } = await sql.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [APPLICATION_NAME]);
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks.set(pid, Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}
