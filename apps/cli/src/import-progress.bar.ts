import { SingleBar } from 'cli-progress';
import type { ImportProgress } from '@ahe/import';

const LABELS: Readonly<Record<ImportProgress['phase'], string>> = { validate: 'validating', append: 'appending ' };

/**
 * One bar per phase on stderr, so stdout stays clean for the result. Draws nothing when
 * stderr is not a terminal (CI logs, pipes).
 */
export class ImportProgressBar {
  private bar: SingleBar | undefined;
  private phase: ImportProgress['phase'] | undefined;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  readonly update = (progress: ImportProgress): void => {
    if (progress.phase !== this.phase) {
      this.stop();
      this.phase = progress.phase;
      this.bar = new SingleBar({
        stream: this.stream,
        format: `${LABELS[progress.phase]} [{bar}] {percentage}% | {value}/{total} ${progress.phase === 'validate' ? 'lines' : 'events'} | {eta_formatted} left`,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        etaBuffer: 50,
        fps: 10,
      });
      this.bar.start(progress.total ?? progress.done, 0);
    }
    if (progress.total !== null) this.bar!.setTotal(progress.total);
    this.bar!.update(progress.done);
  };

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
