import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFlagsOf as scriptFlags, scriptNodeFlags } from './support/child-processes';

/**
 * Each process's V8 flags (docs/operations.md, "Memory and garbage collection") are written in
 * three places: package.json's start scripts, the Dockerfile's default command and
 * docker-compose's services. A process started one way must not run with other flags than
 * the same process started another way.
 */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const APPS = ['api', 'projector', 'escalations'] as const;

/** The flags of every exec-form command (`["node", …, "dist/apps/<app>/src/main.js"]`) of a file. */
function execFormFlags(text: string, app: string): string[][] {
  const commands = [...text.matchAll(/\[\s*"node"((?:\s*,\s*"--[^"]+")*)\s*,\s*"dist\/apps\/([\w-]+)\/src\/main\.js"\s*\]/g)];
  return commands.filter((command) => command[2] === app).map((command) => [...command[1]!.matchAll(/"(--[^"]+)"/g)].map((flag) => flag[1]!));
}

describe("the processes' Node flags", () => {
  it.each(APPS)('%s: docker-compose runs it with its start script’s flags, in every stack', (app) => {
    const inCompose = execFormFlags(read('docker-compose.yml'), app);
    // The PostgreSQL stack and the EventStoreDB one.
    expect(inCompose).toHaveLength(2);
    for (const flags of inCompose) expect(flags).toEqual(scriptFlags(app));
  });

  it("the Dockerfile's default command is the API's start script", () => {
    const dockerfile = read('Dockerfile');
    const cmd = dockerfile.split('\n').filter((line) => line.startsWith('CMD '));
    expect(cmd).toHaveLength(1);
    expect(execFormFlags(cmd[0]!, 'api')).toEqual([scriptFlags('api')]);
  });

  it('the processes that project (the API, which does in the embedded default, and the projector) keep a young generation of 64 MB', () => {
    for (const app of ['api', 'projector']) {
      expect(scriptFlags(app)).toEqual(expect.arrayContaining(['--min-semi-space-size=64', '--max-semi-space-size=64']));
    }
  });

  it('npm run bench runs with the API’s flags, since it hosts the API and the projections it measures', () => {
    expect(scriptNodeFlags('bench', 'bench')).toEqual(scriptFlags('api'));
  });

  it('reads flags from exec-form commands and ignores other apps', () => {
    const text = '["node", "--a=1", "--b", "dist/apps/api/src/main.js"]\n["node", "dist/apps/projector/src/main.js"]';
    expect(execFormFlags(text, 'api')).toEqual([['--a=1', '--b']]);
    expect(execFormFlags(text, 'projector')).toEqual([[]]);
    expect(execFormFlags(text, 'escalations')).toEqual([]);
  });
});
