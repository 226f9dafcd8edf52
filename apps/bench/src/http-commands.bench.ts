import { type BenchRow, type BenchTarget, goalOf, reaches } from './bench-table';
import { BENCH_KEYS, startBenchApi, type BenchApi } from './api-server';
import { seedOpenAccounts } from './demo-accounts';
import { alternate, LoadClient, type LoadRequest, type LoadResult } from './http-load';
import { InsertReference } from './insert-reference';
import { failuresNote } from './line-notes';
import { figureOf, medianLatencies } from './measure';
import { clientScavenges, cpuPerRequest, type RunCpu } from './run-cpu';
import { cleanUp, dropTarget, freshTarget, whereOf, type EmbeddedChoice } from './store-target';

/** Issue 9: at least 0.4 × the raw single-row INSERT, p99 at most 25 ms. */
const COMMANDS_TARGET: BenchTarget = { minRatio: 0.4, maxMs: 25 };

export interface HttpCommandsBenchOptions {
  readonly databaseUrl: string;
  /**
   * The API on the embedded store (a PGlite folder of its own, in this process, as `npm start`
   * runs by default) instead of PostgreSQL; the reference then inserts into PGlite too.
   */
  readonly embedded?: EmbeddedChoice;
  /** Accounts the commands are spread over (demo accounts seeded first); default 2,000. */
  readonly accounts?: number;
  /** Runs of each side, alternating; default 3. */
  readonly runs?: number;
  /** Seconds of load a run; default 5. */
  readonly durationSeconds?: number;
  /** Concurrent keep-alive HTTP clients; default 16. */
  readonly clients?: number;
  /** Connections of the raw INSERT reference (on PGlite, loops sharing its one connection); default 8. */
  readonly referenceConnections?: number;
  readonly log?: (line: string) => void;
}

const REQUESTS_DRAWN = 5_000;

/**
 * Commands through the whole API (auth, validation, read–fold–decide–append) from 16 clients,
 * against the least a command must cost the database: one single-row INSERT of the same shape
 * into a copy of the events table, one transaction each, on 8 connections, in the same run; with
 * `embedded`, the API on a PGlite folder and the INSERTs into a second PGlite.
 */
export async function httpCommandsBench(options: HttpCommandsBenchOptions): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const accounts = options.accounts ?? 2_000;
  const runs = options.runs ?? 3;
  const durationSeconds = options.durationSeconds ?? 5;
  const clients = options.clients ?? 16;
  const connections = options.referenceConnections ?? 8;
  const name = `bench_b2_commands_${process.pid}`;
  const store = freshTarget(options.embedded ?? false, options.databaseUrl, name);
  // The reference's table: beside the store's on PostgreSQL, in a PGlite of its own when embedded
  // (the API's PGlite folder has one owner, the API).
  const referenceStore = store.kind === 'postgres' ? store : freshTarget(store.thread, options.databaseUrl, `${name}_reference`);
  let api: BenchApi | undefined;
  let loadClient: LoadClient | undefined;
  let reference: InsertReference | undefined;
  try {
    // Seeded before the API starts: an embedded folder is opened by one owner at a time.
    const accountIds = await seedOpenAccounts(store, accounts, log);
    api = await startBenchApi({ store });
    loadClient = await LoadClient.start();
    reference = await InsertReference.open(referenceStore);
    const requests = commandRequests(accountIds);
    const headers = { authorization: `Bearer ${BENCH_KEYS.writer}` };
    log(`http commands: warming up (one command to each of the ${accounts.toLocaleString('en')} accounts, then 1 s of load)…`);
    const { url } = api;
    const [load, insert] = [loadClient, reference];
    await commandEveryAccount(url, accountIds, headers, clients);
    await load.closedLoop({ url, connections: clients, durationSeconds: 1, requests, headers });
    log(`http commands: ${runs} × ${durationSeconds} s, ${clients} clients, against raw single-row INSERT, ${insert.describe(connections)}…`);
    const [commands, inserts] = await alternate<LoadResult & Partial<RunCpu>>(runs, [
      () => load.closedLoop({ url, connections: clients, durationSeconds, requests, headers }),
      () => insert.run(connections, durationSeconds),
    ]);
    const failures = commands!.reduce((sum, result) => sum + result.failures, 0);
    const rate = figureOf(commands!.map((result) => result.rate));
    const referenceRate = figureOf(inserts!.map((result) => result.rate));
    const latency = medianLatencies(commands!);
    const ratio = rate.median / referenceRate.median;
    return [{
      figure: `HTTP commands (contacts, surveys), ${clients} keep-alive clients — ${whereOf(store)}`,
      rate,
      unit: 'commands/s',
      latency,
      reference: { name: `raw single-row INSERT, one transaction each, ${insert.describe(connections)}`, rate: referenceRate, latency: medianLatencies(inserts!) },
      ratio,
      ...goalOf(COMMANDS_TARGET),
      met: failures === 0 && reaches(COMMANDS_TARGET, { ratio, latency }),
      note: `${accounts.toLocaleString('en')} demo accounts; the API in this process${store.kind === 'embedded' ? ' on its own PGlite folder (as npm start runs by default; its CPU a command below includes the SQL, which PGlite runs in it), the reference in a second PGlite' : ''}; autocannon (closed loop) in a process of its own; median of ${runs} × ${durationSeconds} s (p99 per run ${commands!.map((result) => result.latency.p99).join('/')} ms); `
        + `CPU per command: ${cpuPerRequest(commands! as (LoadResult & RunCpu)[])}; load client scavenges a run ${clientScavenges(commands! as RunCpu[])}`
        + failuresNote(failures),
    }];
  } finally {
    await cleanUp(
      'the HTTP commands line',
      async () => loadClient?.close(),
      async () => api?.close(),
      async () => reference?.close(),
      () => dropTarget(store),
      async () => referenceStore !== store && dropTarget(referenceStore),
    );
  }
}

const CHANNELS = ['call', 'email', 'meeting'] as const;

/**
 * One contact to every account before the measured runs, so that they measure the steady state
 * (each account's folded state cached by the API) rather than a mix of it and first reads of
 * streams, which the random picks of a 1 s warm-up left for about a third of the accounts.
 */
async function commandEveryAccount(url: string, accountIds: readonly string[], headers: Record<string, string>, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < accountIds.length) {
      const accountId = accountIds[next++]!;
      const response = await fetch(`${url}/v1/accounts/${accountId}/contacts`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'call', direction: 'outbound', summary: 'Warm-up call', sentiment: 0.5 }),
      });
      const text = await response.text();
      if (response.status !== 201) throw new Error(`warm-up POST for ${accountId} answered ${response.status}: ${text.slice(0, 300)}`);
    }
  }));
}

/** Real bodies, as a CRM integration would send them: contacts and NPS/CSAT surveys on random accounts. */
function commandRequests(accountIds: readonly string[]): LoadRequest[] {
  return Array.from({ length: REQUESTS_DRAWN }, (_, n) => {
    const accountId = accountIds[Math.floor(Math.random() * accountIds.length)]!;
    return n % 2 === 0
      ? {
          method: 'POST', path: `/v1/accounts/${accountId}/contacts`,
          body: JSON.stringify({ channel: CHANNELS[n % 3], direction: 'outbound', summary: `Quarterly business review ${n}`, sentiment: Math.round(Math.random() * 100) / 100 }),
        }
      : { method: 'POST', path: `/v1/accounts/${accountId}/surveys`, body: JSON.stringify({ kind: 'nps', score: n % 11, comment: `Survey answer ${n}` }) };
  });
}
