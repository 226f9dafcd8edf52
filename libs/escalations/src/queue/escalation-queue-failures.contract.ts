import { PermanentJobError, type EscalationQueue } from './escalation-queue.port';
import { CONTRACT_RETRY, QUIET_MS, completed, depthOf, job, recorder, sleep, until, type ContractQueueOptions } from './escalation-queue-probes.contract';

/** Retries, backoff and dead letters; part of describeEscalationQueueContract. */
export function describeFailureContract(open: (options?: Partial<ContractQueueOptions>) => Promise<EscalationQueue>): void {
  it('retries a failing handler with a growing backoff until it succeeds', async () => {
    // Longer backoffs than the suite's, so the growth stands out from scheduling noise.
    const queue = await open({ retry: { ...CONTRACT_RETRY, escalations: { attempts: 3, backoffMs: 100 } } });
    const runs = recorder(({ attempt }) => {
      if (attempt < 3) throw new Error(`flaky receiver, attempt ${attempt}`);
    });
    queue.process('escalations', runs.handler, { concurrency: 1 });
    await queue.enqueue([job('flaky')]);
    await until('three attempts', () => runs.calls.length === 3);
    await completed(queue, 'escalations', 1);

    expect(runs.calls.map((call) => call.attempt)).toEqual([1, 2, 3]);
    const [first, second, third] = runs.calls.map((call) => call.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(100);
    expect(third - second).toBeGreaterThanOrEqual(200);
    expect(await depthOf(queue, 'escalations')).toMatchObject({ waiting: 0, delayed: 0, active: 0, completed: 1, failed: 0 });
    expect(await queue.deadLetters(10)).toEqual([]);
    await sleep(QUIET_MS);
    expect(runs.calls).toHaveLength(3);
  });

  it('dead-letters a job once, with its error, after its last attempt', async () => {
    const queue = await open();
    const runs = recorder(() => {
      throw new Error('receiver answered 503');
    });
    queue.process('webhooks', runs.handler, { concurrency: 1 });
    await queue.enqueue([{ id: 'hook-1', queue: 'webhooks', name: 'deliver', data: { url: 'http://127.0.0.1:9/hook' } }]);
    await until('a dead letter', async () => (await queue.deadLetters(10)).length > 0);
    await sleep(QUIET_MS);

    expect(runs.calls.map((call) => call.attempt)).toEqual([1, 2, 3]);
    const letters = await queue.deadLetters(10);
    expect(letters).toEqual([
      { id: 'hook-1', queue: 'webhooks', name: 'deliver', data: { url: 'http://127.0.0.1:9/hook' }, attempts: 3, error: 'receiver answered 503', failedAt: expect.any(String) },
    ]);
    expect(Date.parse(letters[0]!.failedAt)).toBeGreaterThanOrEqual(runs.calls[2]!.at);
    await until('the failure recorded', async () => (await depthOf(queue, 'webhooks')).failed === 1);
    expect(await depthOf(queue, 'dead-letter')).toMatchObject({ waiting: 1 });
  });

  it('dead-letters at once on a PermanentJobError, and lists dead letters newest first', async () => {
    const queue = await open();
    const runs = recorder(({ job: { id } }) => {
      throw new PermanentJobError(`account of ${id} is gone`);
    });
    queue.process('escalations', runs.handler, { concurrency: 1 });
    await queue.enqueue([job('gone-1')]);
    await until('first dead letter', async () => (await queue.deadLetters(10)).length === 1);
    await sleep(5);
    await queue.enqueue([job('gone-2')]);
    await until('second dead letter', async () => (await queue.deadLetters(10)).length === 2);
    await sleep(QUIET_MS);

    expect(runs.calls.map((call) => [call.id, call.attempt])).toEqual([
      ['gone-1', 1],
      ['gone-2', 1],
    ]);
    const letters = await queue.deadLetters(10);
    expect(letters.map((letter) => [letter.id, letter.attempts, letter.error])).toEqual([
      ['gone-2', 1, 'account of gone-2 is gone'],
      ['gone-1', 1, 'account of gone-1 is gone'],
    ]);
    expect(await queue.deadLetters(1)).toEqual([letters[0]]);
    // A dead-lettered id is still known: enqueued again, it does not run.
    await queue.enqueue([job('gone-1')]);
    await sleep(QUIET_MS);
    expect(runs.calls).toHaveLength(2);
  });

  it('runs a dead letter again on request, with all its attempts, and forgets the dead letter', async () => {
    const queue = await open();
    let receiverUp = false;
    const runs = recorder(() => {
      if (!receiverUp) throw new Error('receiver answered 503');
    });
    queue.process('webhooks', runs.handler, { concurrency: 1 });
    await queue.enqueue([{ id: 'hook-again', queue: 'webhooks', name: 'deliver', data: { url: 'http://127.0.0.1:9/hook' } }]);
    await until('a dead letter', async () => (await queue.deadLetters(10)).length === 1);
    await until('the failure recorded', async () => (await depthOf(queue, 'webhooks')).failed === 1);
    expect(await queue.retryDeadLetter('escalations', 'hook-again')).toBe(false);

    receiverUp = true;
    expect(await queue.retryDeadLetter('webhooks', 'hook-again')).toBe(true);
    await completed(queue, 'webhooks', 1);
    expect(runs.calls.map((call) => call.attempt)).toEqual([1, 2, 3, 1]);
    expect(await queue.deadLetters(10)).toEqual([]);
    expect(await depthOf(queue, 'webhooks')).toMatchObject({ failed: 0, completed: 1 });
    expect(await queue.retryDeadLetter('webhooks', 'hook-again')).toBe(false);
  });
}
