import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { figure, ratioLine, run } from './bench-compare.fixtures';
import { capturedOutput } from './captured-output.contract';
import { runBenchmarks } from './run-benchmarks';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('npm run bench -- --compare FILE', () => {
  const captured = capturedOutput('bench-compare-');
  const file = (name: string, content: unknown) => {
    const path = join(captured.dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('compares an earlier run\'s file with another (--from-json), exiting 4 when a line is worse and 0 when none is', async () => {
    const then = file('then.json', run([ratioLine('rebuild', figure(40_000, 38_000, 42_000), 200_000)]));
    const worse = file('worse.json', run([ratioLine('rebuild', figure(20_000, 19_000, 21_000), 200_000)]));
    await expect(runBenchmarks(['--from-json', worse, '--compare', then], { env: {} })).resolves.toBe(4);
    expect(captured.out.join('')).toMatch(/\| rebuild +\| 0\.20 × ✗ +\| 0\.10 × ✗ +\| ratio −50 % +\| worse +\|/);
    expect(captured.out.join('')).toContain('1 worse, 0 better, 0 within noise');
    captured.out.length = 0;
    await expect(runBenchmarks(['--from-json', then, '--compare', then], { env: {} })).resolves.toBe(0);
    expect(captured.out.join('')).toContain('0 worse, 0 better, 1 within noise');
  });

  it('exits 1 for a compared file whose run had a failed suite, whatever its lines', async () => {
    const then = file('then.json', run([ratioLine('rebuild', figure(40_000), 200_000)]));
    const failed = file('failed.json', run([ratioLine('rebuild', figure(40_000), 200_000), { figure: 'reads — failed', met: false, note: 'boom' }]));
    await expect(runBenchmarks(['--from-json', failed, '--compare', then], { env: {} })).resolves.toBe(1);
  });

  it('takes --compare-tolerance through to the verdicts and the summary', async () => {
    const then = file('then.json', run([ratioLine('rebuild', figure(40_000), 200_000)]));
    const now = file('now.json', run([ratioLine('rebuild', figure(39_000), 200_000)]));
    await expect(runBenchmarks(['--from-json', now, '--compare', then], { env: {} })).resolves.toBe(0);
    await expect(runBenchmarks(['--from-json', now, '--compare', then, '--compare-tolerance', '0'], { env: {} })).resolves.toBe(4);
    expect(captured.out.join('')).toContain('widened to ±0 % of its median');
  });

  it('refuses to write --json over the file it compares with, before measuring', async () => {
    const then = file('then.json', run([ratioLine('rebuild', figure(40_000), 200_000)]));
    await expect(runBenchmarks(['--suite', 'append', '--compare', then, '--json', then], { env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } })).resolves.toBe(2);
    expect(captured.err.join('')).toContain('--json and --compare name the same file');
  });

  it.each([
    ['a missing file', null, /^--compare: cannot read .*missing\.json as JSON/],
    ['a file that is not JSON', 'not json', /^--compare: cannot read .* as JSON/],
    ['JSON that is not a run', '{"rows": {}}', /^--compare: .* is not a run written by --json/],
  ])('answers %s with exit code 2, naming --compare, before measuring anything', async (_case, content, message) => {
    const path = content === null ? join(captured.dir, 'missing.json') : file('bad.json', content);
    // An unreachable database: the run would fail on it had it started measuring.
    await expect(runBenchmarks(['--suite', 'append', '--compare', path], { env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } })).resolves.toBe(2);
    expect(captured.err.join('')).toMatch(message);
    expect(captured.out.join('')).toBe('');
  });

  it('measures, prints the table, then the comparison with the earlier run, and exits 4 on a worse line', async () => {
    // An earlier append line far above any this machine reaches: 100 × the multi-row INSERT.
    const then = file('then.json', run([{ ...ratioLine('store append, batches of 100 — PostgreSQL', figure(100, 99, 101), 1, 1), unit: 'events/s' }]));
    const code = await runBenchmarks(['--suite', 'append', '--quick', '--compare', then], { env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL } });
    const printed = captured.out.join('');
    expect(code).toBe(4);
    expect(printed.indexOf('| store append, batches of 100')).toBeLessThan(printed.indexOf(`Against ${then}`));
    expect(printed).toMatch(/\| store append, batches of 100 — PostgreSQL +\| 100\.00 × ✓ +\| [0-9.]+ × [✓✗] +\| ratio −\d+ % +\| worse(; goal lost)? +\|/);
    expect(printed).toContain('This run is a --quick one');
    expect(printed).toMatch(/\| store append, batches of 1 — PostgreSQL +\| \(not in that run\) .*\| new line +\|/);
  }, 120_000);
});
