import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@ahe/platform/config';
import { openCliStore, type CliStore } from './cli-store';

describe('the CLI store on DATA_DIR=:memory:', () => {
  it.each([{ existing: false }, { existing: true }])('is refused, naming DATA_DIR: no command could reach or keep it (%o)', async (options) => {
    await expect(openCliStore(loadConfig({ DATA_DIR: ':memory:' }), options)).rejects.toThrow(
      "DATA_DIR=:memory: is a store in one process's memory, which no ahe command can reach or keep: point DATA_DIR at the server's data folder, or DATABASE_URL at its database");
  });
});

describe('the CLI store on the embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ahe-cli-store-'));
  let target: CliStore | undefined;
  beforeAll(async () => {
    target = await openCliStore(loadConfig({ DATA_DIR: dataDir }));
    const event = { type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { summary: 'call' } };
    await target.store.append('account-cli-1', [event, event], 'no_stream');
  });
  afterAll(async () => {
    await target?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('warns on stderr, once, when pages of the log are read as rows because their document read failed', async () => {
    const { store, sql } = target!;
    const whole = await store.readAll({ limit: 100 });
    const query = sql.query.bind(sql);
    const failing = jest.spyOn(sql, 'query').mockImplementation(((text: string, params?: readonly unknown[], name?: string) =>
      name?.startsWith('ahe_read_all_page') ? Promise.reject(new RangeError('Invalid string length')) : query(text, params, name)) as typeof sql.query);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await store.readAll({ limit: 100 })).toEqual(whole);
      expect(await store.readAll({ limit: 100 })).toEqual(whole);
      expect(failing.mock.calls.filter(([, , name]) => name?.startsWith('ahe_read_all_page'))).toHaveLength(2);
      expect(stderr.mock.calls.map(([text]) => text)).toEqual([
        '\nWarning: reading a page of the log as one document failed, so it was read as rows (later pages are not reported): Invalid string length\n',
      ]);
    } finally {
      stderr.mockRestore();
      failing.mockRestore();
    }
    expect(whole.events).toHaveLength(2);
  });
});
