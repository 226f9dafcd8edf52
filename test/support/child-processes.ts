import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The built processes, as `npm start` and the Dockerfile run them. */
export const ROOT = join(__dirname, '..', '..');
export const entry = (app: string) => join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
/** The V8 flags an app's start script gives node (`start` for the API, `start:<app>` for the others). */
export function nodeFlagsOf(app: string): string[] {
  return scriptNodeFlags(app === 'api' ? 'start' : `start:${app}`, app);
}

/** The flags between `node` and `dist/apps/<app>/src/main.js` in package.json's script `name`. */
export function scriptNodeFlags(name: string, app: string): string[] {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts[name] ?? '';
  const flags = new RegExp(`\\bnode((?: --[\\w-]+(?:=\\S+)?)*) dist/apps/${app}/src/main\\.js`).exec(script);
  if (!flags) throw new Error(`package.json's ${name} does not run dist/apps/${app} with node: ${JSON.stringify(script)}`);
  return flags[1]!.trim().split(' ').filter((flag) => flag !== '');
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  output(): string;
}

/** Only what the test sets: a developer's or CI's own DATABASE_URL must not leak in. */
export function start(app: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [...nodeFlagsOf(app), entry(app)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited, output: () => stdout };
}

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function waitForOutput(running: Running, pattern: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(running.output())) {
    if (Date.now() > deadline || running.child.exitCode !== null) throw new Error(`never logged ${pattern}:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}


/**
 * `ahe …` as built, with only the environment given (a developer's own DATABASE_URL must not leak
 * in); killed if it has not ended within `ms`, so that a hang fails the test with what it said.
 */
export async function runCli(env: Record<string, string>, ms: number, ...args: string[]): Promise<Exit> {
  const child = spawn(process.execPath, [entry('cli'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  try {
    return await within(exited, ms, `ahe ${args.join(' ')}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; its stderr:\n${stderr}`);
  }
}

/** CI runs the tests on a clean checkout: build before spawning `dist/`. */
export function buildOnce(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
}
