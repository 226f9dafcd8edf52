import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertPortfolioOptions } from '@ahe/demo';
import { accountCount, generatorSeed, pastInstant, yearSpan } from '../apps/cli/src/seed-options';
import { buildOnce, ROOT } from './support/child-processes';

jest.setTimeout(180_000);

const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const accepts = (check: () => unknown): boolean => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

describe("ahe seed's option parsers", () => {
  it.each(['1', '1000000', '0', '1000001', '2.5', '-3'])('take --accounts %s exactly when the generator does', (value) => {
    expect(accepts(() => accountCount(value))).toBe(accepts(() => assertPortfolioOptions({ accounts: Number(value), years: 1 })));
  });

  it.each(['50', '0.01', '0', '50.001', '-1'])('take --years %s exactly when the generator does', (value) => {
    expect(accepts(() => yearSpan(value))).toBe(accepts(() => assertPortfolioOptions({ accounts: 1, years: Number(value) })));
  });

  it.each(['0', '-7', '9007199254740991', '1.5', '9007199254740992'])('take --seed %s exactly when the generator does', (value) => {
    expect(accepts(() => generatorSeed(value))).toBe(accepts(() => assertPortfolioOptions({ accounts: 1, years: 1, seed: Number(value) })));
  });

  it('take an --ends-at instant with a time zone that the generator takes too, up to now', () => {
    const endsAt = pastInstant(() => Date.parse('2026-03-01T00:00:00Z'));
    for (const instant of ['2026-03-01T00:00:00Z', '2024-02-29T23:59:59.999+02:00', '2025-06-30T12:00Z']) {
      expect([instant, accepts(() => endsAt(instant))]).toEqual([instant, true]);
      expect(() => assertPortfolioOptions({ accounts: 1, years: 1, endsAt: instant })).not.toThrow();
    }
    for (const instant of ['2026-03-01T00:00:00.001Z', '2025-02-29T00:00:00Z', '2025-06-30T00:00:00', '2025-06-30', '2025-06-30T24:00:00Z', 'soon']) {
      expect([instant, accepts(() => endsAt(instant))]).toEqual([instant, false]);
    }
  });
});

/** The built CLI: a bad option is a usage error naming its flag, before a file or a store is touched. */
describe('ahe seed with a bad option', () => {
  const work = mkdtempSync(join(tmpdir(), 'ahe-seed-options-'));
  const dataDir = join(work, 'data');
  const ahe = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });

  beforeAll(() => buildOnce());
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each([
    ['--accounts', '0', '--accounts must be a positive integer, at most 1,000,000.'],
    ['--accounts', '1000001', '--accounts must be a positive integer, at most 1,000,000.'],
    ['--years', '0', '--years must be a number above 0 and at most 50.'],
    ['--years', '51', '--years must be a number above 0 and at most 50.'],
    ['--seed', '1.5', '--seed must be an integer.'],
    ['--ends-at', '2025-02-30T00:00:00Z', '--ends-at must be an ISO 8601 instant with a time zone'],
    ['--ends-at', '2025-06-30T00:00:00', '--ends-at must be an ISO 8601 instant with a time zone'],
    ['--ends-at', '2999-01-01T00:00:00Z', '--ends-at must not be in the future'],
  ])('%s %s is refused with a message naming it, and no file is written', (flag, value, message) => {
    const options: Record<string, string> = { '--accounts': '2', '--years': '1', [flag]: value, '--out': join(work, 'seed.ndjson') };
    const refused = ahe({ DATA_DIR: dataDir }, 'seed', ...Object.entries(options).flat());
    expect(refused.stderr).toContain(message);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    expect(readdirSync(work)).toEqual([]);
  });

  it('refuses an --ends-at in the future before the store is opened', () => {
    const refused = ahe({ DATA_DIR: dataDir }, 'seed', '--accounts', '2', '--years', '1', '--ends-at', '2999-01-01T00:00:00Z');
    expect(refused.stderr).toContain('--ends-at must not be in the future');
    expect(refused.status).toBe(2);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('states the limits in its help', () => {
    const help = ahe({ DATA_DIR: dataDir }, 'seed', '--help').stdout.replace(/\s+/g, ' ');
    expect(help).toContain('number of accounts: a positive integer, at most 1,000,000');
    expect(help).toContain('a number above 0, at most 50');
    expect(help).toContain('seed of the generator: an integer (default: 42)');
    expect(help).toContain('an ISO 8601 instant with a time zone, not in the future');
  });
});

/** The CLI runs in a process of its own: DATA_DIR=:memory: would be a new store thrown away at its exit. */
describe('ahe on DATA_DIR=:memory:', () => {
  const work = mkdtempSync(join(tmpdir(), 'ahe-seed-memory-'));
  const ahe = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATA_DIR: ':memory:' }, encoding: 'utf8' });

  beforeAll(() => buildOnce());
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is refused by every command that opens the store, naming DATA_DIR, before it reports anything done', () => {
    const file = join(work, 'portfolio.ndjson');
    expect(ahe('seed', '--accounts', '3', '--years', '1', '--out', file).status).toBe(0);
    for (const args of [['seed', '--accounts', '3', '--years', '1'], ['import', file], ['verify'], ['replay', '--verify'], ['rebuild', 'account_health']]) {
      const refused = ahe(...args);
      expect([args, refused.stderr]).toEqual([args, expect.stringContaining('DATA_DIR=:memory: is a store in one process\'s memory, which no ahe command can reach or keep')]);
      // An error, not a finding: 3 where 1 would mean one (verify, replay --verify), else 1.
      expect([args, refused.status]).toEqual([args, ['verify', 'replay'].includes(args[0]!) ? 3 : 1]);
      expect(refused.stdout).not.toMatch(/Imported|intact|identical/);
    }
  });
});
