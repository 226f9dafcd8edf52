import { SingleBar } from 'cli-progress';
import type { ImportProgress } from '@ahe/import';

const LABELS: Readonly<Record<ImportProgress['phase'], string>> = { validate: 'validating', append: 'appending ' };
const UNITS: Readonly<Record<ImportProgress['phase'], string>> = { validate: 'lines', append: 'events' };

/**
 * One bar per phase on stderr, so stdout stays clean for the result. Draws nothing when
 * stderr is not a terminal (CI logs, pipes).
 */
export class ImportProgressBar {
  private bar: SingleBar | undefined;
  private phase: ImportProgress['phase'] | undefined;
  private counting = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  readonly update = (progress: ImportProgress): void => {
    if (progress.phase !== this.phase) {
      this.stop();
      this.phase = progress.phase;
      // A phase that starts without a total (a seed's lines, generated as they are read) is
      // counted to its end: a total guessed from the first figure would soon read 100%.
      this.counting = progress.total === null;
      this.bar = new SingleBar({
        stream: this.stream,
        format: formatOf(progress.phase, this.counting),
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        etaBuffer: 50,
        fps: 10,
      });
      this.bar.start(progress.total ?? 0, 0);
    }
    if (progress.total !== null && !this.counting) this.bar!.setTotal(progress.total);
    this.bar!.update(progress.done);
  };

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

function formatOf(phase: ImportProgress['phase'], counting: boolean): string {
  return counting
    ? `${LABELS[phase]} {value} ${UNITS[phase]} | {duration_formatted}`
    : `${LABELS[phase]} [{bar}] {percentage}% | {value}/{total} ${UNITS[phase]} | {eta_formatted} left`;
}
