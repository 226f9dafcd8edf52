import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Which code a run measured: the commit of the checkout, and whether tracked files differed from it. */
export interface BuildInfo {
  readonly commit: string;
  /** Tracked files changed and not committed when the run started (the build may hold them). */
  readonly uncommittedFiles: number;
}

const PROJECT = 'account-health-engine';

/** The checkout this code runs from: the nearest folder above `from` whose package.json is the project's. */
export function projectRoot(from: string = __dirname): string | null {
  for (let folder = from; folder !== dirname(folder); folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (!existsSync(file)) continue;
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PROJECT) return folder;
    } catch {
      // Not the project's: keep going up.
    }
  }
  return null;
}

/** Null outside a git checkout (an image built from a copy) or without git: the run goes on without it. */
export function buildInfo(root: string | null = projectRoot()): BuildInfo | null {
  if (root === null || !existsSync(join(root, '.git'))) return null;
  try {
    const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    const commit = git('rev-parse', '--short=12', 'HEAD').trim();
    const uncommittedFiles = git('status', '--porcelain', '--untracked-files=no').split('\n').filter((line) => line.trim() !== '').length;
    return { commit, uncommittedFiles };
  } catch {
    return null;
  }
}

/** "af8d50b1c2d3", or "af8d50b1c2d3 with uncommitted changes to 3 files"; undefined is a run from before builds were recorded. */
export function formatBuild(build: BuildInfo | null | undefined): string {
  if (build === undefined) return 'not recorded';
  if (build === null) return 'unknown (not a git checkout)';
  return build.uncommittedFiles === 0 ? build.commit : `${build.commit} with uncommitted changes to ${build.uncommittedFiles} file${build.uncommittedFiles === 1 ? '' : 's'}`;
}
