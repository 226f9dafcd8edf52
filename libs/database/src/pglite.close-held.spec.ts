import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeHeldDataFolders, PgliteClient } from './index';

/**
 * A process exiting before the code that opened its embedded stores could close them (a signal
 * during start-up) closes them through their data folders' locks: the store open, and the one still
 * opening once it has opened. Its own file: afterwards this module refuses to open folders.
 */
describe('closeHeldDataFolders on embedded stores', () => {
  const root = mkdtempSync(join(tmpdir(), 'ahe-close-held-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('closes a store that is open and one that is still opening, and unlocks both folders', async () => {
    const open = await PgliteClient.open(join(root, 'open'));
    await open.query('CREATE TABLE kept (n int)');
    const opening = PgliteClient.open(join(root, 'opening'));

    await closeHeldDataFolders();

    const opened = await opening;
    for (const [client, folder] of [[open, 'open'], [opened, 'opening']] as const) {
      await expect(client.query('SELECT 1')).rejects.toThrow('the embedded database is closed');
      expect(existsSync(join(root, folder, 'pglite.lock'))).toBe(false);
    }
    await expect(PgliteClient.open(join(root, 'open'))).rejects.toThrow('the process is exiting');
  });
});
