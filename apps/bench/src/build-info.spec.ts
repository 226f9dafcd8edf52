import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildInfo, formatBuild, projectRoot } from './build-info';

describe('buildInfo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-build-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim();

  it('finds the checkout this code runs from, by the project\'s package.json', () => {
    expect(projectRoot(__dirname)).toBe(resolve(__dirname, '../../..'));
    expect(projectRoot(tmpdir())).toBeNull();
  });

  it('names the commit and counts tracked files changed since it, leaving untracked ones out', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'account-health-engine' }));
    writeFileSync(join(dir, 'a.ts'), 'export const a = 1;\n');
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'first');
    const commit = git('rev-parse', '--short=12', 'HEAD');
    expect(buildInfo(dir)).toEqual({ commit, uncommittedFiles: 0 });
    writeFileSync(join(dir, 'a.ts'), 'export const a = 2;\n');
    writeFileSync(join(dir, 'scratch.txt'), 'not tracked\n');
    expect(buildInfo(dir)).toEqual({ commit, uncommittedFiles: 1 });
  });

  it('is null outside a git checkout, where the run goes on without it', () => {
    expect(buildInfo(dir)).toBeNull();
    expect(buildInfo(null)).toBeNull();
  });

  it('words a build for the header and for a comparison', () => {
    expect(formatBuild({ commit: 'f2a9867aa1b2', uncommittedFiles: 0 })).toBe('f2a9867aa1b2');
    expect(formatBuild({ commit: 'f2a9867aa1b2', uncommittedFiles: 3 })).toBe('f2a9867aa1b2 with uncommitted changes to 3 files');
    expect(formatBuild(null)).toBe('unknown (not a git checkout)');
    expect(formatBuild(undefined)).toBe('not recorded');
  });
});
