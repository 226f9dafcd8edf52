import { IN_MEMORY, PgliteClient, type SqlClient } from '@ahe/database';
import { events, streamName } from '../../contract/harness.contract';
import { SqlEventStore } from './sql-event-store';

/**
 * The embedded database runs one transaction at a time on its single connection: a
 * verification must leave room between its pages for the writes and reads of everyone else.
 */
describe('verifying a long stream on the embedded store', () => {
  let sql: SqlClient;
  let store: SqlEventStore;
  beforeAll(async () => {
    sql = await PgliteClient.open(IN_MEMORY);
    store = await SqlEventStore.open(sql);
  });
  afterAll(async () => {
    await store.close();
    await sql.close();
  });

  it('lets appends and reads made during the walk finish before it, and answers for the head it began from', async () => {
    const long = streamName();
    for (let batch = 0; batch < 5; batch++) await store.append(long, events(1_000));
    const other = streamName();
    const finished: string[] = [];
    const settle = <T>(name: string, work: Promise<T>) => work.then((result) => (finished.push(name), result));

    const verifying = settle('verify', store.verifyStream(long));
    const [verified] = await Promise.all([
      verifying,
      settle('append to the stream verified', store.append(long, events(1))),
      settle('append elsewhere', store.append(other, events(1))),
      settle('read', store.readStream(other)),
    ]);

    expect(finished[finished.length - 1]).toBe('verify');
    expect(verified).toEqual({ ok: true, checked: 5_000 });
    expect(await store.verifyStream(long)).toEqual({ ok: true, checked: 5_001 });
  });
});
