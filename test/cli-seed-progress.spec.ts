import type { ImportProgress } from '@ahe/import';
import { ImportProgressBar } from '../apps/cli/src/import-progress.bar';

/** A terminal that keeps what the bar draws: cli-progress draws nothing on a stream that is not one. */
function fakeTerminal(): { stream: NodeJS.WriteStream; lines(): string[]; writes: string[] } {
  const writes: string[] = [];
  const stream = { isTTY: true, columns: 160, write: (text: string) => (writes.push(text), true) } as unknown as NodeJS.WriteStream;
  // Each drawing is one write of its own, between the cursor moves and clears.
  return { stream, writes, lines: () => writes.filter((text) => !text.startsWith('\x1b') && text !== '\n') };
}

function run(steps: readonly ImportProgress[]): ReturnType<typeof fakeTerminal> {
  const terminal = fakeTerminal();
  const bar = new ImportProgressBar(terminal.stream);
  for (const step of steps) bar.update(step);
  bar.stop();
  return terminal;
}

const lastOf = (lines: string[], label: string) => lines.filter((line) => line.startsWith(label)).at(-1);

describe('the import progress bar', () => {
  it('counts the lines of a phase that starts without a total, instead of taking its first figure for one', () => {
    // What a seed into the store reports: its lines are generated as they are read.
    const { lines } = run([
      { phase: 'validate', done: 1_750, total: null },
      { phase: 'validate', done: 57_750, total: null },
      { phase: 'validate', done: 57_750, total: 57_750 },
      { phase: 'append', done: 0, total: 57_750 },
      { phase: 'append', done: 57_750, total: 57_750 },
    ]);
    expect(lastOf(lines(), 'validating')).toMatch(/^validating 57750 lines \| \d+s$/);
    expect(lines().join('\n')).not.toMatch(/\/1750|100%.*lines/);
    expect(lastOf(lines(), 'appending')).toMatch(/^appending  \[█{40}\] 100% \| 57750\/57750 events \| /);
  });

  it('shows the share done of a phase whose total is known', () => {
    const { lines } = run([
      { phase: 'validate', done: 1_000, total: 4_000 },
      { phase: 'validate', done: 2_000, total: 4_000 },
    ]);
    expect(lastOf(lines(), 'validating')).toMatch(/^validating \[█{20}░{20}\] 50% \| 2000\/4000 lines \| /);
  });

  it('gives the cursor back when it stops', () => {
    const { writes } = run([{ phase: 'validate', done: 10, total: null }]);
    expect(writes.filter((text) => /\x1b\[\?25[hl]/.test(text))).toEqual(['\x1b[?25l', '\x1b[?25h']);
  });
});
