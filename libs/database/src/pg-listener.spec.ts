import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PgListener } from './pg-listener';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function until(done: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !done(); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/**
 * The listener's connection is ended by the server (a restart, pg_terminate_backend): the loss is
 * reported, the connection comes back listening to every channel it had, and every callback is
 * woken, since a notification sent meanwhile is gone and a subscriber must read for itself.
 */
describe('PgListener when its connection is lost', () => {
  const suffix = randomUUID().slice(0, 8);
  const application = `pg-listener-spec-${suffix}`;
  const channels = [`ahe_listener_a_${suffix}`, `ahe_listener_b_${suffix}`];
  let admin: Client;
  let listener: PgListener;
  const errors: Error[] = [];
  const received: Record<string, string[]> = Object.fromEntries(channels.map((channel) => [channel, []]));

  const backends = async () =>
    Number((await admin.query<{ count: string }>('SELECT count(*) FROM pg_stat_activity WHERE application_name = $1', [application])).rows[0]!.count);
  const terminate = () => admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [application]);

  beforeAll(async () => {
    admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    listener = new PgListener({ connectionString: TEST_DATABASE_URL, application_name: application }, (error) => errors.push(error));
    for (const channel of channels) await listener.listen(channel, (payload) => received[channel]!.push(payload));
  });
  afterAll(async () => {
    await listener.close();
    await admin.end();
  });

  it('reports the loss, listens again on every channel, and wakes every callback', async () => {
    await admin.query(`SELECT pg_notify($1, 'before')`, [channels[0]]);
    await until(() => received[channels[0]!]!.length === 1, 'the first notification');

    await terminate();
    await until(() => errors.length === 1 && channels.every((channel) => received[channel]!.includes('')), 'the wake-up after the reconnect');
    for (const channel of channels) await admin.query(`SELECT pg_notify($1, 'after')`, [channel]);
    await until(() => channels.every((channel) => received[channel]!.includes('after')), 'the notifications after the reconnect');

    expect(received).toEqual({ [channels[0]!]: ['before', '', 'after'], [channels[1]!]: ['', 'after'] });
    expect(await backends()).toBe(1);
  });

  it('does not come back once closed, even when the loss came just before close(), and listens no more', async () => {
    const seen = errors.length;
    await terminate();
    await until(() => errors.length === seen + 1, 'the loss');
    // The reconnect is due in a second; close() comes first.
    await listener.close();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await backends()).toBe(0);
    await expect(listener.listen(channels[0]!, () => undefined)).rejects.toThrow('close() was called before this LISTEN');
    expect(await backends()).toBe(0);
  });
});
