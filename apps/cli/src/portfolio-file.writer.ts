import { SingleBar } from 'cli-progress';
import { generatePortfolio, type PortfolioOptions } from '@ahe/demo';
import { writeFileAtomically } from './atomic-file';
import { CommandInterruptedError, INTERRUPTED, interruptible } from './interruptible';

/**
 * `ahe seed --out FILE`: the portfolio as NDJSON, honouring back-pressure. FILE appears whole
 * or not at all (writeFileAtomically): a half-written one would import as a smaller portfolio
 * than was asked for. Ctrl-C stops it between two lines, FILE not written.
 */
export async function seedIntoFile(path: string, options: PortfolioOptions, json = false): Promise<void> {
  const started = performance.now();
  await interruptible(`Stopping the seed: ${path} will not be written`, async (signal) => {
    const bar = new SingleBar({ stream: process.stderr, format: 'generating [{bar}] {percentage}% | {value}/{total} accounts', hideCursor: true, fps: 10 });
    bar.start(options.accounts, 0);
    let lines = 0;
    function* ndjson(): Generator<string> {
      let account = '';
      let accounts = 0;
      for (const line of generatePortfolio(options)) {
        if (line.accountId !== account) bar.update(accounts++), (account = line.accountId);
        lines += 1;
        yield `${JSON.stringify(line)}\n`;
      }
      bar.update(accounts);
    }
    let written: 'whole' | 'streamed';
    try {
      written = await writeFileAtomically(path, ndjson(), signal);
    } catch (error) {
      bar.stop();
      if (!signal.aborted) throw error;
      const reason = signal.reason instanceof CommandInterruptedError ? signal.reason.message : 'interrupted';
      process.stderr.write(`Seed ${reason}: ${path} was not written.\n`);
      process.exitCode = INTERRUPTED;
      return;
    }
    bar.stop();
    if (signal.aborted) process.stderr.write(`The seed had gone too far to stop: ${path} was written whole.\n`);
    const seconds = (performance.now() - started) / 1000;
    // Written to standard output (a pipe), the portfolio must not end with the summary.
    const summaryStream = written === 'streamed' ? process.stderr : process.stdout;
    summaryStream.write(json ? `${JSON.stringify({ lines, accounts: options.accounts, file: path, seconds })}\n`
      : `Wrote ${lines.toLocaleString('en')} events of ${options.accounts} accounts to ${path} in ${seconds.toFixed(1)} s\n`);
  });
}
