import { randomUUID } from 'node:crypto';
import { ConflictException } from '@nestjs/common';
import { IN_MEMORY, openDatabase, type SqlClient } from '@ahe/database';
import { MetricsService } from '../metrics/metrics.service';
import { IdempotencyService, type IdempotentRequest, type StoredResponse } from './idempotency.service';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A promise and the function that settles it: work that runs until the spec lets it finish. */
function gate<T>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

const conflictCode = async (outcome: Promise<unknown>) => {
  const error = await outcome.then(() => undefined, (failure: unknown) => failure);
  expect(error).toBeInstanceOf(ConflictException);
  return ((error as ConflictException).getResponse() as { code: string }).code;
};

describe.each([
  ['PostgreSQL', () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema: `idem_${randomUUID().slice(0, 8)}` })],
  ['the embedded store', () => openDatabase({ kind: 'embedded', dataDir: IN_MEMORY })],
])('Idempotency-Key claimed before the work runs (%s)', (_name, open) => {
  let sql: SqlClient;
  /** Two services on one database: two processes, each with its own in-process lock. */
  let first: IdempotencyService;
  let second: IdempotencyService;
  const answer = (body: unknown): StoredResponse => ({ status: 200, body });
  const requestOf = (key: string, body: unknown = { sha256: 'a' }): IdempotentRequest => ({ key, identity: 'admin:k1', method: 'POST', path: '/v1/import', body });

  /** Until the claim of `key` is stored: the first call's work has started. */
  const claimed = async (key: string) => {
    for (let tries = 0; tries < 400; tries++) {
      const { rows } = await sql.query(`SELECT 1 FROM idempotency_keys WHERE idempotency_key = $1 AND status = 0`, [key]);
      if (rows.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no claim of ${key} within 10 s`);
  };

  beforeAll(async () => {
    sql = await open();
    const metrics = new MetricsService();
    [first, second] = [new IdempotencyService(sql, metrics), new IdempotencyService(sql, metrics)];
    await first.onModuleInit();
  });
  afterAll(async () => {
    if (sql.kind === 'postgres') await sql.query(`DROP SCHEMA IF EXISTS ${(await sql.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s} CASCADE`);
    await sql.close();
  });

  it('answers the same request in another process 409 IDEMPOTENCY_KEY_IN_PROGRESS while it runs, then replays its answer', async () => {
    const running = gate<StoredResponse>();
    let runs = 0;
    const work = () => {
      runs += 1;
      return running.promise;
    };
    const request = requestOf('claim-1');
    const firstOutcome = first.execute(request, work, { claimFirst: true });
    await claimed('claim-1');
    expect(await conflictCode(second.execute(request, work, { claimFirst: true }))).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(await conflictCode(second.execute(requestOf('claim-1', { sha256: 'b' }), work, { claimFirst: true }))).toBe('IDEMPOTENCY_KEY_REUSED');
    running.open(answer({ imported: 3 }));
    expect(await firstOutcome).toEqual({ status: 200, body: { imported: 3 }, replayed: false });
    expect(await second.execute(request, work, { claimFirst: true })).toEqual({ status: 200, body: { imported: 3 }, replayed: true });
    expect(runs).toBe(1);
  });

  it('lets the same process wait for its own first request, and releases the key when the work fails', async () => {
    const running = gate<StoredResponse>();
    const request = requestOf('claim-2');
    const outcomes = [first.execute(request, () => running.promise, { claimFirst: true }), first.execute(request, () => running.promise, { claimFirst: true })];
    running.open(answer({ imported: 1 }));
    expect((await Promise.all(outcomes)).map((outcome) => outcome.replayed)).toEqual([false, true]);

    const failing = requestOf('claim-3');
    await expect(first.execute(failing, () => Promise.reject(new Error('line 3 refused')), { claimFirst: true })).rejects.toThrow('line 3 refused');
    expect(await second.execute(failing, async () => answer({ imported: 2 }), { claimFirst: true })).toMatchObject({ body: { imported: 2 }, replayed: false });
  });

  it('takes over a claim its process left unanswered for longer than a claim lives', async () => {
    const request = requestOf('claim-4');
    const abandoned = first.execute(request, () => new Promise<StoredResponse>(() => undefined), { claimFirst: true });
    void abandoned;
    await claimed('claim-4');
    expect(await conflictCode(second.execute(request, async () => answer({}), { claimFirst: true }))).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    await sql.query(`UPDATE idempotency_keys SET created_at = now() - interval '16 minutes' WHERE idempotency_key = 'claim-4'`);
    expect(await second.execute(request, async () => answer({ imported: 4 }), { claimFirst: true })).toMatchObject({ body: { imported: 4 }, replayed: false });
  });
});
