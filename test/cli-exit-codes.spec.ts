import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImportConflictError } from '@ahe/import';
import { reportFailure } from '../apps/cli/src/cli-output';
import { buildOnce, ROOT, runCli } from './support/child-processes';

jest.setTimeout(120_000);

/** `ahe …` as built and quiet, its exit code as `status`. */
async function ahe(env: Record<string, string>, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runCli({ LOG_LEVEL: 'silent', ...env }, 60_000, ...args);
  return { status: code, stdout, stderr };
}

/** Nothing listens on port 1: the connection is refused at once. */
const UNREACHABLE = { DATABASE_URL: 'postgres://x@127.0.0.1:1/db' };

/**
 * A cron job alerts on verify's and replay's 1, a finding: a mistyped call (2) or one that could
 * not look (3) must never exit 1 there.
 */
describe('ahe exit codes', () => {
  beforeAll(() => buildOnce());

  it.each([
    [['verify', '--jsno'], "unknown option '--jsno'"],
    [['replay', '--verify', '--max-rows', '0'], '--max-rows must be a positive integer'],
    [['import'], "missing required argument 'file'"],
    [['rebuild', 'account_health', 'extra'], 'too many arguments'],
    [['no-such-command'], "unknown command 'no-such-command'"],
    [[], 'Usage: ahe [options] [command]'],
  ])('exits 2 for the usage error of %j, saying what was wrong', async (args, message) => {
    const run = await ahe({}, ...args);
    expect(run.stderr).toContain(message);
    expect([run.status, run.stdout]).toEqual([2, '']);
  });

  it('exits 0 for --help and --version, the version being package.json\'s', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await ahe({}, '--version')).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
    const help = await ahe({}, 'verify', '--help');
    expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('Usage: ahe verify')]);
  });

  it.each([
    [['verify']],
    [['replay', '--verify']],
  ])('exits 3 when %j cannot reach the database, naming the failure', async (args) => {
    const run = await ahe(UNREACHABLE, ...args);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect([run.status, run.stdout]).toEqual([3, '']);
  });

  it.each([
    [['verify']],
    [['replay', '--verify']],
  ])('exits 3 when the configuration of %j does not load', async (args) => {
    const run = await ahe({ LOG_LEVEL: 'loud' }, ...args);
    expect(run.stderr).toContain('LOG_LEVEL must be one of');
    expect([run.status, run.stdout]).toEqual([3, '']);
  });

  it('exits 1 when a rebuild cannot reach the database: it has no finding to tell apart', async () => {
    const run = await ahe(UNREACHABLE, 'rebuild', 'account_health');
    expect(run.stderr).toContain('Failed: connect ECONNREFUSED');
    expect(run.status).toBe(1);
  });

  it('answers an import conflict with its own code, the one that says running it again is safe', () => {
    const conflict = new ImportConflictError('account-a', { events: 0, accounts: 0 }, new Error('wrong expected revision'));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(reportFailure(conflict)).toBe(75);
      expect(reportFailure(conflict, 3)).toBe(75);
      expect(reportFailure(new Error('disk full'))).toBe(1);
      // On EventStoreDB the accounts appended before the conflict stay: running it again is not safe.
      const partial = new ImportConflictError('account-b', { events: 40, accounts: 2 }, new Error('wrong expected revision'));
      expect(reportFailure(partial)).toBe(1);
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining('Import conflict: account-a changed while the import was running'));
    } finally {
      stderr.mockRestore();
    }
  });
});
