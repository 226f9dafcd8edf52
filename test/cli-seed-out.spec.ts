import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, ROOT, within, type Exit } from './support/child-processes';

jest.setTimeout(240_000);

const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const PREVIOUS = '{"an":"earlier portfolio"}\n';

/** `ahe seed --out` as built: FILE whole or not at all, whatever stops it. */
describe('ahe seed --out FILE', () => {
  const work = mkdtempSync(join(tmpdir(), 'ahe-seed-out-'));
  const env = { PATH: process.env.PATH ?? '', DATA_DIR: join(work, 'no-store') };
  let folders = 0;

  /** A folder of its own, holding FILE with `content` if given. */
  function folderWith(content?: string): { folder: string; file: string } {
    const folder = join(work, `case-${++folders}`);
    mkdirSync(folder);
    const file = join(folder, 'portfolio.ndjson');
    if (content !== undefined) writeFileSync(file, content);
    return { folder, file };
  }

  /** Bytes written so far into the folder, but for FILE's earlier content: the seed is mid-write. */
  function written(folder: string, file: string, before: number): number {
    return readdirSync(folder).reduce((sum, name) => {
      const path = join(folder, name);
      return sum + (statSync(path, { throwIfNoEntry: false })?.size ?? 0) - (path === file ? before : 0);
    }, 0);
  }

  /** Runs a seed of `args` into `file`, sends `signals` once 256 KiB of it are on disk, and waits for the exit. */
  async function interruptedSeed(file: string, folder: string, signals: NodeJS.Signals[], args: string[]): Promise<Exit> {
    const before = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    const child = spawn(process.execPath, [CLI, 'seed', ...args, '--out', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const watch = setInterval(() => {
      if (written(folder, file, before) < 256 * 1024) return;
      clearInterval(watch);
      for (const signal of signals) child.kill(signal);
    }, 10);
    const exit = new Promise<Exit>((resolve) => child.on('close', (code, exitSignal) => resolve({ code, signal: exitSignal, stdout, stderr })));
    return within(exit, 120_000, 'ahe seed --out').finally(() => clearInterval(watch));
  }

  beforeAll(() => buildOnce());
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('stopped by Ctrl-C mid-write, exits 130 and leaves an existing FILE as it was, with no partial file beside it', async () => {
    const { folder, file } = folderWith(PREVIOUS);
    const exit = await interruptedSeed(file, folder, ['SIGINT'], ['--accounts', '100000', '--years', '2']);
    expect(exit.stderr).toContain(`Stopping the seed: ${file} will not be written (Ctrl-C again to quit at once)`);
    expect(exit.stderr).toContain(`Seed interrupted by SIGINT: ${file} was not written.`);
    expect([exit.code, exit.signal]).toEqual([130, null]);
    expect(exit.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(PREVIOUS);
    expect(readdirSync(folder)).toEqual(['portfolio.ndjson']);
  });

  it('stopped by SIGTERM mid-write, exits 130 and writes no FILE at all', async () => {
    const { folder, file } = folderWith();
    const exit = await interruptedSeed(file, folder, ['SIGTERM'], ['--accounts', '100000', '--years', '2']);
    expect(exit.stderr).toContain(`Seed interrupted by SIGTERM: ${file} was not written.`);
    expect([exit.code, exit.signal]).toEqual([130, null]);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('quit at once by a second signal, still leaves no partial file and an existing FILE as it was', async () => {
    const { folder, file } = folderWith(PREVIOUS);
    // Two different signals: a second SIGINT sent at once could merge with the first.
    const exit = await interruptedSeed(file, folder, ['SIGINT', 'SIGTERM'], ['--accounts', '100000', '--years', '2']);
    expect([exit.code, exit.signal]).toEqual([130, null]);
    expect(readFileSync(file, 'utf8')).toBe(PREVIOUS);
    expect(readdirSync(folder)).toEqual(['portfolio.ndjson']);
  });

  it('failing mid-write (the file size limit reached), exits 1 naming FILE and leaves an existing one as it was', () => {
    const { folder, file } = folderWith(PREVIOUS);
    // ulimit -f: writes past 64 blocks fail with EFBIG (node ignores SIGXFSZ), after the file has filled that far.
    const failed = spawnSync('/bin/sh', ['-c', 'ulimit -f 64 && exec "$@"', 'sh', process.execPath, CLI, 'seed', '--accounts', '200', '--years', '1', '--out', file], {
      cwd: ROOT, env, encoding: 'utf8',
    });
    expect(failed.stderr).toContain(`cannot write ${file}: EFBIG`);
    expect(failed.status).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(PREVIOUS);
    expect(readdirSync(folder)).toEqual(['portfolio.ndjson']);
  });

  it('replaces an existing FILE whole when it completes', () => {
    const { folder, file } = folderWith(PREVIOUS);
    const fresh = folderWith();
    const args = ['seed', '--accounts', '20', '--years', '1', '--seed', '5', '--out'];
    expect(spawnSync(process.execPath, [CLI, ...args, file], { cwd: ROOT, env, encoding: 'utf8' }).status).toBe(0);
    expect(spawnSync(process.execPath, [CLI, ...args, fresh.file], { cwd: ROOT, env, encoding: 'utf8' }).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(fresh.file, 'utf8'));
    expect(readFileSync(file, 'utf8')).toMatch(/^\{"streamId":"account-demo-5-0001"/);
    expect(readdirSync(folder)).toEqual(['portfolio.ndjson']);
  });

  it('writes through a link to its target, leaves the link a link, and writes a pipe as it comes', () => {
    const { folder, file } = folderWith(PREVIOUS);
    const link = join(folder, 'latest.ndjson');
    symlinkSync(file, link);
    const args = ['seed', '--accounts', '20', '--years', '1', '--seed', '5', '--out'];
    expect(spawnSync(process.execPath, [CLI, ...args, link], { cwd: ROOT, env, encoding: 'utf8' }).status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^\{"streamId":"account-demo-5-0001"/);
    expect(readdirSync(folder).sort()).toEqual(['latest.ndjson', 'portfolio.ndjson']);

    const piped = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${CLI}" ${args.join(' ')} /dev/stdout | wc -l`], { cwd: ROOT, env, encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(Number(piped.stdout.trim())).toBe(readFileSync(file, 'utf8').trimEnd().split('\n').length);
  });
});

