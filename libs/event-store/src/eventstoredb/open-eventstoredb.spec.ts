import { openEventStoreDb as openThroughIndex } from './index';
import { openEventStoreDb, redact } from './open-eventstoredb';

describe('opening the EventStoreDB store', () => {
  it('keeps a password in the connection string out of messages', () => {
    expect(redact('esdb+discover://admin:changeit@es1:2113,es2:2113?tls=true')).toBe('esdb+discover://admin:***@es1:2113,es2:2113?tls=true');
    expect(redact('esdb://localhost:2113?tls=false')).toBe('esdb://localhost:2113?tls=false');
  });

  it('fails at open, naming the server, when nothing answers (no server runs here)', async () => {
    // Port 1 on loopback refuses at once: this checks the failure path, not EventStoreDB.
    const opening = openEventStoreDb('esdb://admin:secret@127.0.0.1:1?tls=false');
    await expect(opening).rejects.toThrow(/^EventStoreDB at esdb:\/\/admin:\*\*\*@127\.0\.0\.1:1\?tls=false does not answer: .*UNAVAILABLE/);
    await expect(opening).rejects.not.toThrow(/secret/);
  });

  it('takes a cluster string with gossip discovery, and fails the same way when no node answers', async () => {
    const cluster = 'esdb+discover://127.0.0.1:1,127.0.0.1:2?tls=false&maxDiscoverAttempts=1&discoveryInterval=10&gossipTimeout=200';
    await expect(openEventStoreDb(cluster)).rejects.toThrow(/^EventStoreDB at esdb\+discover:\/\/127\.0\.0\.1:1,127\.0\.0\.1:2.* does not answer/);
  });

  it('is reached through the library, which loads the client only then', async () => {
    await expect(openThroughIndex('esdb://127.0.0.1:1?tls=false')).rejects.toThrow(/^EventStoreDB at esdb:\/\/127\.0\.0\.1:1\?tls=false does not answer/);
  });

  it('refuses a connection string the client cannot parse', async () => {
    await expect(openEventStoreDb('http://localhost:2113')).rejects.toThrow();
  });
});
