import { loadavg } from 'node:os';
import { stageTimings, type Stage } from './escalation-breakdown';
import { openAccounts, postJson, sleep, startBenchEngine, untilCaughtUp, type BenchEngine } from './escalation-engine';
import { watchEventLoop, windowedLatencies, type Latencies } from './measure';
import type { Arrival } from './webhook-sink';

/**
 * Command → webhook latency of the escalation workflow, the path a customer waits on: a
 * critical complaint sent over HTTP until the EscalationOpened webhook (rule
 * critical-complaint) arrives at a receiver. It crosses the log twice (complaint, then
 * EscalationOpened, each picked up by the process manager) and the queue twice (open job,
 * deliver job). Complaints go at a steady rate, as traffic would, not as fast as possible.
 */
export interface LatencyOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly complaints: number;
  readonly ratePerSecond: number;
  readonly clients: number;
  /** Consecutive windows of the complaints, by when each was sent, whose percentiles are taken apart (windowedLatencies); default 1. */
  readonly runs?: number;
  readonly log: (line: string) => void;
}

/** One complaint as the sender saw it. */
export interface Sent {
  readonly accountId: string;
  readonly sentAt: number;
  readonly answeredAt: number;
  /** How late the send was against its slot in the schedule (all clients busy). */
  readonly lateMs: number;
}

export interface LatencyResult {
  readonly latency: Latencies;
  readonly stages: readonly Stage[];
  readonly expected: number;
  readonly arrived: number;
  readonly duplicates: number;
  /** Webhooks of other types or rules, by `type/rule`: none expected. */
  readonly others: Readonly<Record<string, number>>;
  readonly openJobsCompleted: number;
  readonly maxLateMs: number;
  /** The one process runs HTTP, projections, workers, sender and receiver: its stalls delay every stage alike. */
  readonly eventLoopDelay: Latencies;
  /** CPU time of this process over the timed window, in cores (1.0 = one core busy throughout). */
  readonly processCores: number;
  readonly loadAverage: number;
}

const OPENED = 'EscalationOpened';
const RULE = 'critical-complaint';

export async function escalationLatencyBench(options: LatencyOptions): Promise<LatencyResult> {
  const engine = await startBenchEngine(options);
  try {
    const accountIds = Array.from({ length: options.complaints }, (_, index) => `bench-${String(index).padStart(6, '0')}`);
    options.log(`opening ${accountIds.length} accounts (not timed)…`);
    await openAccounts(engine, accountIds, 8);
    await untilCaughtUp(engine, 120_000);
    options.log(`sending ${accountIds.length} critical complaints at ${options.ratePerSecond}/s from ${options.clients} clients…`);
    const loop = watchEventLoop();
    const [cpuBefore, startedAt] = [process.cpuUsage(), Date.now()];
    const sent = await sendPaced(engine, accountIds, options);
    const firstArrivals = await waitForArrivals(engine, accountIds.length, sent.reduce((last, one) => Math.max(last, one.sentAt), 0) + 60_000);
    const cpu = process.cpuUsage(cpuBefore);
    const processCores = (cpu.user + cpu.system) / 1000 / (Date.now() - startedAt);
    const eventLoopDelay = loop.stop();
    const loadAverage = loadavg()[0]!;
    // Late duplicates and any other rule firing would show up within a moment of the last arrival.
    await sleep(1000);
    await untilCaughtUp(engine, 30_000);
    const openJobsCompleted = (await engine.queue.depths()).find((depth) => depth.queue === 'escalations')?.completed ?? 0;
    const stages = await stageTimings(options.redisUrl, engine.prefix, sent, firstArrivals);
    return { ...summarise(engine.sink.arrivals, sent, firstArrivals, options.runs ?? 1), stages, openJobsCompleted, eventLoopDelay, processCores, loadAverage };
  } finally {
    await engine.close();
  }
}

/** Complaint i is due at start + i/rate; client k sends i = k, k + clients, … and waits for each answer. */
async function sendPaced(engine: BenchEngine, accountIds: readonly string[], options: LatencyOptions): Promise<Sent[]> {
  const sent: Sent[] = [];
  const start = Date.now() + 50;
  const client = async (first: number) => {
    for (let index = first; index < accountIds.length; index += options.clients) {
      const due = start + (index * 1000) / options.ratePerSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      const accountId = accountIds[index]!;
      const sentAt = Date.now();
      await postJson(`${engine.url}/v1/accounts/${accountId}/complaints`, { severity: 'critical', category: 'outage', description: 'Production is down for every user.' });
      sent.push({ accountId, sentAt, answeredAt: Date.now(), lateMs: sentAt - due });
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, first) => client(first)));
  return sent;
}

const isCriticalOpened = (arrival: Arrival) => arrival.body.type === OPENED && arrival.body.data?.rule === RULE;

/** The first critical-complaint EscalationOpened webhook per account, once `expected` accounts have one (or at the deadline). */
async function waitForArrivals(engine: BenchEngine, expected: number, deadline: number): Promise<Map<string, Arrival>> {
  const first = new Map<string, Arrival>();
  let seen = 0;
  for (;;) {
    const arrivals = engine.sink.arrivals;
    for (; seen < arrivals.length; seen++) {
      const arrival = arrivals[seen]!;
      if (isCriticalOpened(arrival) && arrival.body.accountId && !first.has(arrival.body.accountId)) first.set(arrival.body.accountId, arrival);
    }
    if (first.size >= expected || Date.now() > deadline) return first;
    await sleep(20);
  }
}

function summarise(arrivals: readonly Arrival[], sent: readonly Sent[], first: ReadonlyMap<string, Arrival>, runs: number): Omit<LatencyResult, 'stages' | 'openJobsCompleted' | 'eventLoopDelay' | 'processCores' | 'loadAverage'> {
  const critical = arrivals.filter(isCriticalOpened);
  const others: Record<string, number> = {};
  for (const arrival of arrivals.filter((candidate) => !isCriticalOpened(candidate))) {
    const key = `${arrival.body.type ?? '?'}/${arrival.body.data?.rule ?? '?'}`;
    others[key] = (others[key] ?? 0) + 1;
  }
  const waits = [...sent].sort((a, b) => a.sentAt - b.sentAt).flatMap((one) => {
    const arrival = first.get(one.accountId);
    return arrival ? [arrival.at - one.sentAt] : [];
  });
  return {
    latency: windowedLatencies(waits, runs),
    expected: sent.length,
    arrived: first.size,
    duplicates: critical.length - first.size,
    others,
    maxLateMs: sent.reduce((most, one) => Math.max(most, one.lateMs), 0),
  };
}
