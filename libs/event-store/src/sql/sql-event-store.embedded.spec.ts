import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IN_MEMORY, PgliteClient, type SqlClient } from '@ahe/database';
import { describeEventStoreContract } from '../../contract/index.contract';
import { anEvent } from '../../contract/harness.contract';
import { openEventStore } from '../open-event-store';
import { sqlHarness } from './sql-harness.contract';

describe('SqlEventStore on the embedded PGlite', () => {
  let sql: SqlClient;
  // No openElsewhere: one process, one connection, so the cross-process test is skipped.
  const harness = sqlHarness(() => sql);
  beforeAll(async () => {
    sql = await PgliteClient.open(IN_MEMORY);
  });
  afterAll(async () => {
    await harness.dispose();
    await sql.close();
  });

  describeEventStoreContract('embedded (PGlite)', harness);
});

describe('the embedded store on disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ahe-store-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps its events, chain and positions across a restart', async () => {
    const first = await openEventStore({ kind: 'embedded', dataDir });
    const written = await first.append('account-persisted', [anEvent(), anEvent()], 'no_stream');
    await first.close();

    const reopened = await openEventStore({ kind: 'embedded', dataDir });
    const events = await reopened.readStream('account-persisted');
    expect(events.map((event) => event.eventId)).toEqual(written.eventIds);
    expect(await reopened.verifyStream('account-persisted')).toEqual({ ok: true, checked: 2 });
    const next = await reopened.append('account-persisted', [anEvent()], 1);
    expect(next.position).toBeGreaterThan(written.position);
    await reopened.close();
  });
});
