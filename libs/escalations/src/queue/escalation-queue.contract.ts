import type { EscalationQueue } from './escalation-queue.port';
import { describeFailureContract } from './escalation-queue-failures.contract';
import {
  CONTRACT_RETRY,
  QUIET_MS,
  completed,
  depthOf,
  job,
  recorder,
  sleep,
  until,
  type ContractQueueOptions,
  type EscalationQueueFactory,
} from './escalation-queue-probes.contract';

export type { ContractQueueOptions, EscalationQueueFactory } from './escalation-queue-probes.contract';

/** What every EscalationQueue adapter must do, run against BullMQ on Redis and the in-process adapter. */
export function describeEscalationQueueContract(name: string, factory: EscalationQueueFactory): void {
  describe(`EscalationQueue contract: ${name}`, () => {
    const opened: EscalationQueue[] = [];
    const open = async (options: Partial<ContractQueueOptions> = {}) => {
      const queue = await factory({ retry: CONTRACT_RETRY, fresh: true, ...options });
      opened.push(queue);
      return queue;
    };
    afterEach(async () => {
      for (const queue of opened.splice(0)) await queue.close();
    });

    it('runs an enqueued job once, with its data', async () => {
      const queue = await open();
      const runs = recorder();
      queue.process('escalations', runs.handler, { concurrency: 2 });
      await queue.enqueue([job('a', { accountId: 'acc-1', nested: { n: 1 } })]);
      await completed(queue, 'escalations', 1);
      await sleep(QUIET_MS);
      expect(runs.calls).toEqual([{ id: 'a', queue: 'escalations', name: 'open', data: { accountId: 'acc-1', nested: { n: 1 } }, attempt: 1, at: expect.any(Number) }]);
    });

    it('ignores an id it already holds, waiting or completed', async () => {
      const queue = await open();
      await queue.enqueue([job('dup', { v: 1 }), job('dup', { v: 2 })]);
      await queue.enqueue([job('dup', { v: 3 })]);
      expect(await depthOf(queue, 'escalations')).toMatchObject({ waiting: 1 });
      const runs = recorder();
      queue.process('escalations', runs.handler, { concurrency: 2 });
      await completed(queue, 'escalations', 1);
      await queue.enqueue([job('dup', { v: 4 })]);
      await sleep(QUIET_MS);
      expect(runs.calls.map((call) => call.data)).toEqual([{ v: 1 }]);
    });

    it('runs a delayed job no earlier than runAtMs', async () => {
      const queue = await open();
      const runs = recorder();
      queue.process('escalations', runs.handler, { concurrency: 1 });
      const runAtMs = Date.now() + 500;
      await queue.enqueue([job('timer', { due: true }, { runAtMs })]);
      expect(await depthOf(queue, 'escalations')).toMatchObject({ waiting: 0, delayed: 1 });
      await until('the timer fired', () => runs.calls.length === 1);
      expect(runs.calls[0]!.at).toBeGreaterThanOrEqual(runAtMs);
      expect(runs.calls[0]!.at).toBeLessThan(runAtMs + 2_000);
      expect(Math.abs(runs.calls[0]!.runAtMs! - runAtMs)).toBeLessThan(50);
    });

    it('cancels a delayed job, and leaves a finished or unknown one alone', async () => {
      const queue = await open();
      const runs = recorder();
      queue.process('escalations', runs.handler, { concurrency: 1 });
      const runAtMs = Date.now() + 800;
      await queue.enqueue([job('sla-timer', {}, { runAtMs }), job('done')]);
      await completed(queue, 'escalations', 1);
      await queue.cancel('escalations', 'sla-timer');
      await queue.cancel('escalations', 'done');
      await queue.cancel('escalations', 'never-enqueued');
      expect(await depthOf(queue, 'escalations')).toMatchObject({ waiting: 0, delayed: 0, completed: 1 });
      // The completed job's id is still held: enqueued again, it does not run.
      await queue.enqueue([job('done')]);
      await sleep(runAtMs - Date.now() + QUIET_MS);
      expect(runs.calls.map((call) => call.id)).toEqual(['done']);
    });

    describeFailureContract(open);

    it('reports waiting, delayed and dead-letter depths', async () => {
      const queue = await open();
      const hook = { id: 'hook', queue: 'webhooks' as const, name: 'deliver', data: {} };
      await queue.enqueue([job('now-1'), job('now-2'), job('later', {}, { runAtMs: Date.now() + 60_000 }), hook]);
      const idle = { active: 0, completed: 0, failed: 0 };
      expect(await queue.depths()).toEqual([
        { queue: 'escalations', waiting: 2, delayed: 1, ...idle },
        { queue: 'webhooks', waiting: 1, delayed: 0, ...idle },
        { queue: 'dead-letter', waiting: 0, delayed: 0, ...idle },
      ]);
      queue.process('webhooks', recorder(() => Promise.reject(new Error('nope'))).handler, { concurrency: 1 });
      await until('the webhook dead-lettered', async () => (await depthOf(queue, 'dead-letter')).waiting === 1);
      await until('the webhook failed', async () => (await depthOf(queue, 'webhooks')).failed === 1);
      expect(await depthOf(queue, 'escalations')).toMatchObject({ waiting: 2, delayed: 1 });
    });

    it('runs at most `concurrency` jobs of a queue at a time', async () => {
      const queue = await open();
      let running = 0;
      let most = 0;
      const runs = recorder(async () => {
        most = Math.max(most, ++running);
        await sleep(100);
        running--;
      });
      queue.process('escalations', runs.handler, { concurrency: 2 });
      await queue.enqueue(['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => job(id)));
      await completed(queue, 'escalations', 5);
      expect(most).toBe(2);
      expect(runs.calls.map((call) => call.id).sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    });

    it('close() waits for the running job, and nothing runs afterwards', async () => {
      const queue = await open();
      const timeline: string[] = [];
      const runs = recorder(async ({ job: { id } }) => {
        timeline.push(`started ${id}`);
        await sleep(300);
        timeline.push(`finished ${id}`);
      });
      queue.process('escalations', runs.handler, { concurrency: 1 });
      await queue.enqueue([job('slow'), job('later', {}, { runAtMs: Date.now() + 400 })]);
      await until('the slow job started', () => timeline.length === 1);
      await queue.close();
      timeline.push('closed');
      await queue.close();
      await sleep(400 + QUIET_MS);
      expect(timeline).toEqual(['started slow', 'finished slow', 'closed']);

      // The slow job's completion was recorded before close() resolved; the timer is still there.
      const depth = await depthOf(await open({ fresh: false }), 'escalations');
      expect(depth).toMatchObject({ completed: 1, active: 0 });
      expect(depth.waiting + depth.delayed).toBe(1);
    });

    it('keeps the two queues apart', async () => {
      const queue = await open();
      const escalations = recorder();
      queue.process('escalations', escalations.handler, { concurrency: 1 });
      await queue.enqueue([job('same-id', { from: 'escalations' }), { id: 'same-id', queue: 'webhooks', name: 'deliver', data: { from: 'webhooks' } }]);
      await completed(queue, 'escalations', 1);
      await sleep(QUIET_MS);
      expect(escalations.calls.map((call) => [call.queue, call.data])).toEqual([['escalations', { from: 'escalations' }]]);
      expect(await depthOf(queue, 'webhooks')).toMatchObject({ waiting: 1, completed: 0 });

      const webhooks = recorder();
      queue.process('webhooks', webhooks.handler, { concurrency: 1 });
      await completed(queue, 'webhooks', 1);
      expect(webhooks.calls.map((call) => [call.queue, call.name, call.data])).toEqual([['webhooks', 'deliver', { from: 'webhooks' }]]);
      expect(escalations.calls).toHaveLength(1);
    });

    it('keeps waiting and delayed jobs across a restart, and still knows completed ids', async () => {
      const first = await open();
      const before = recorder();
      first.process('escalations', before.handler, { concurrency: 1 });
      await first.enqueue([job('done-before')]);
      await completed(first, 'escalations', 1);
      const runAtMs = Date.now() + 600;
      await first.enqueue([job('pending', {}, { queue: 'webhooks', name: 'deliver' }), job('timer', {}, { runAtMs })]);
      await first.close();

      const second = await open({ fresh: false });
      const after = recorder();
      second.process('escalations', after.handler, { concurrency: 1 });
      second.process('webhooks', after.handler, { concurrency: 1 });
      await second.enqueue([job('done-before'), job('timer', {}, { runAtMs })]);
      await until('both jobs ran', () => after.calls.length === 2);
      await sleep(QUIET_MS);
      expect(after.calls.map((call) => call.id).sort()).toEqual(['pending', 'timer']);
      expect(after.calls.find((call) => call.id === 'timer')!.at).toBeGreaterThanOrEqual(runAtMs);
      expect(before.calls.map((call) => call.id)).toEqual(['done-before']);
    });
  });
}
