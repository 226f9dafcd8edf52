import { randomUUID } from 'node:crypto';
import { Client, type Notification } from 'pg';
import { openDatabase, type SqlClient, type SqlQueryable } from '@ahe/database';
import type { NewEvent } from '../event-store.port';
import { NOTIFY_CHANNEL } from './event-store.schema';
import { SqlEventStore } from './sql-event-store';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const contacts = (count: number): NewEvent[] =>
  Array.from({ length: count }, (_, n) => ({ type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', data: { channel: 'call', summary: `review ${n}` } }));

const quiet = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('commit wake-ups of the PostgreSQL store', () => {
  const schema = `wakeups_${randomUUID().slice(0, 8)}`;
  let sql: SqlClient;
  let store: SqlEventStore;
  let listener: Client;
  const sent: string[] = [];
  const received: Notification[] = [];

  /** Resolves once a notification arrives after `since` received ones, or fails after 2 s. */
  const nextNotification = async (since: number) => {
    for (const deadline = Date.now() + 2_000; received.length <= since; await new Promise((resolve) => setTimeout(resolve, 5))) {
      if (Date.now() > deadline) throw new Error('no wake-up arrived');
    }
  };
  const separateNotifies = () => sent.filter((text) => text.includes('pg_notify') && !text.includes('WITH')).length;

  beforeAll(async () => {
    const database = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
    const counted = (target: SqlQueryable): SqlQueryable => ({
      query: (text, params, name) => (sent.push(text), target.query(text, params, name)),
      exec: (script) => target.exec(script),
    });
    sql = Object.assign(Object.create(database) as SqlClient, {
      ...counted(database),
      transaction: <T>(work: (tx: SqlQueryable) => Promise<T>) => database.transaction((tx) => work(counted(tx))),
    });
    store = await SqlEventStore.open(sql);
    listener = new Client({ connectionString: TEST_DATABASE_URL });
    await listener.connect();
    listener.on('notification', (notification) => received.push(notification));
    await listener.query(`LISTEN ${NOTIFY_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await store.close();
    await database().query(`DROP SCHEMA ${schema} CASCADE`);
    await database().close();
  });
  const database = () => Object.getPrototypeOf(sql) as SqlClient;

  it('sends a batch appended at a known head its wake-up in the append statement itself, with no NOTIFY of its own', async () => {
    await store.append('account-1', contacts(2), 'no_stream');
    await quiet();
    const before = received.length;
    sent.length = 0;
    await store.append('account-1', contacts(3), 1);
    await nextNotification(before);
    await quiet();
    expect(separateNotifies()).toBe(0);
    expect(sent.filter((text) => text.includes('notified AS'))).toHaveLength(1);
    expect(received.slice(before).every((notification) => notification.channel === NOTIFY_CHANNEL)).toBe(true);
  });

  it('still wakes other processes when a batch took the locked path (its head had moved), by a NOTIFY of its own', async () => {
    await store.append('account-2', contacts(2), 'no_stream');
    // Another writer moves the head behind this store's back: its cached head is stale.
    const other = await SqlEventStore.open(database());
    await other.append('account-2', contacts(1), 1);
    await other.close();
    await quiet();
    const before = received.length;
    sent.length = 0;
    const result = await store.append('account-2', contacts(2), 2);
    expect(result.revision).toBe(4);
    await nextNotification(before);
    expect(separateNotifies()).toBe(1);
  });

  it('announces a second batch within the gap after the first by a NOTIFY sent later, not inline', async () => {
    await store.append('account-3', contacts(2), 'no_stream');
    await quiet();
    sent.length = 0;
    await store.append('account-3', contacts(2), 1);
    const before = received.length;
    await store.append('account-3', contacts(2), 3);
    await nextNotification(before);
    await quiet();
    expect(sent.filter((text) => text.includes('notified AS'))).toHaveLength(2);
    expect(separateNotifies()).toBeLessThanOrEqual(1);
  });
});
