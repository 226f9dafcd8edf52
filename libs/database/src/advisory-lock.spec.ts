import { randomInt } from 'node:crypto';
import { IN_MEMORY, openDatabase, type SqlClient } from './index';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A key no other spec running at the same time will pick. */
const freshKey = () => BigInt(randomInt(1, 2 ** 47)) * -1n;

function settled(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

describe('session advisory locks on PostgreSQL', () => {
  const clients: SqlClient[] = [];
  const open = async () => {
    const client = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, poolSize: 2 });
    clients.push(client);
    return client;
  };
  afterAll(async () => {
    for (const client of clients) await client.close();
  });

  it('grants a key to one session at a time, and to one caller of a client at a time', async () => {
    const [first, second] = [await open(), await open()];
    const key = freshKey();
    const lease = await first.tryAdvisoryLock(key);
    expect(lease?.held).toBe(true);
    expect(await first.tryAdvisoryLock(key)).toBeNull();
    expect(await second.tryAdvisoryLock(key)).toBeNull();
    await lease!.release();
    expect(lease!.held).toBe(false);
    expect(await settled(lease!.lost, 100)).toBe(true);
    const taken = await second.tryAdvisoryLock(key);
    expect(taken?.held).toBe(true);
    expect(await first.tryAdvisoryLock(key)).toBeNull();
    await taken!.release();
  });

  it('holds the lock while the pool is busy, and a transaction does not release it', async () => {
    const [owner, other] = [await open(), await open()];
    const key = freshKey();
    const lease = await owner.tryAdvisoryLock(key);
    await owner.transaction(async (tx) => void (await tx.query('SELECT 1')));
    await Promise.all([owner.query('SELECT pg_sleep(0.05)'), owner.query('SELECT pg_sleep(0.05)')]);
    expect(await other.tryAdvisoryLock(key)).toBeNull();
    expect(await lease!.verify()).toBe(true);
    await lease!.release();
  });

  it('reports the lease lost when its connection is killed, and the other process takes over', async () => {
    const [owner, other] = [await open(), await open()];
    const key = freshKey();
    const otherKey = freshKey();
    const lease = await owner.tryAdvisoryLock(key);
    const sibling = await owner.tryAdvisoryLock(otherKey);
    const { rows } = await other.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1
         AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
      [key.toString()],
    );
    expect(rows).toHaveLength(1);
    await other.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    expect(await settled(lease!.lost, 5000)).toBe(true);
    expect(lease!.held).toBe(false);
    expect(sibling!.held).toBe(false);
    const taken = await other.tryAdvisoryLock(key);
    expect(taken?.held).toBe(true);
    // The owner's client opens a new lock connection for its next request.
    const again = await owner.tryAdvisoryLock(otherKey);
    expect(again?.held).toBe(true);
    expect(await again!.verify()).toBe(true);
    await Promise.all([taken!.release(), again!.release()]);
  });

  it('loses every lease when the client closes, freeing the locks for others', async () => {
    const [owner, other] = [await open(), await open()];
    const key = freshKey();
    const lease = await owner.tryAdvisoryLock(key);
    await owner.close();
    expect(await settled(lease!.lost, 1000)).toBe(true);
    expect(await lease!.verify()).toBe(false);
    const taken = await other.tryAdvisoryLock(key);
    expect(taken?.held).toBe(true);
    await taken!.release();
    await expect(owner.tryAdvisoryLock(key)).rejects.toThrow(/closed/);
  });
});

describe('advisory locks on the embedded database', () => {
  let sql: SqlClient;
  beforeAll(async () => (sql = await openDatabase({ kind: 'embedded', dataDir: IN_MEMORY })));
  afterAll(() => sql.close());

  it('grants a key to its first taker until released, and loses every lease on close', async () => {
    const lease = await sql.tryAdvisoryLock(42n);
    expect(lease?.held).toBe(true);
    expect(await sql.tryAdvisoryLock(42n)).toBeNull();
    expect(await lease!.verify()).toBe(true);
    await lease!.release();
    expect(await settled(lease!.lost, 100)).toBe(true);
    const next = await sql.tryAdvisoryLock(42n);
    expect(next?.held).toBe(true);
    await sql.close();
    expect(await settled(next!.lost, 100)).toBe(true);
    await expect(sql.tryAdvisoryLock(43n)).rejects.toThrow(/closed/);
  });
});
