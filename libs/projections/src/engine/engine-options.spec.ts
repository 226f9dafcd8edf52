import type { EventStore } from '@ahe/event-store';
import type { SqlClient } from '@ahe/database';
import { EMBEDDED_HEAD_READ_INTERVAL_MS, engineContext } from './engine-options';

describe('engine options: the head read interval', () => {
  const context = (kind: SqlClient['kind'], headReadIntervalMs?: number) =>
    engineContext({ sql: { kind } as SqlClient, store: {} as EventStore, definitions: [], ...(headReadIntervalMs === undefined ? {} : { headReadIntervalMs }) }, 'spec');

  it('waits at the head of the log on the embedded store, whose one connection every batch holds in turn, and not on PostgreSQL', () => {
    expect(EMBEDDED_HEAD_READ_INTERVAL_MS).toBeGreaterThan(0);
    expect(context('embedded').pacing.headReadIntervalMs).toBe(EMBEDDED_HEAD_READ_INTERVAL_MS);
    expect(context('postgres').pacing.headReadIntervalMs).toBe(0);
  });

  it('takes the interval given, 0 included', () => {
    expect(context('embedded', 0).pacing.headReadIntervalMs).toBe(0);
    expect(context('postgres', 30).pacing.headReadIntervalMs).toBe(30);
  });
});
