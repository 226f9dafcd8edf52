import type { MetricsService } from '@ahe/platform';
import { ImportConflictError, InvalidImportLineError } from '@ahe/import';

/** Injection token of the route's ImportMetrics. */
export const IMPORT_METRICS = Symbol('IMPORT_METRICS');

export type ImportOutcome = 'imported' | 'refused' | 'conflict' | 'error';

/** What POST /v1/import reports to /metrics: each import run (not an idempotent replay) and the events it appended. */
export interface ImportMetrics {
  /** Runs the import and counts its outcome; rethrows what it throws. */
  counted<T extends { readonly events: number }>(run: () => Promise<T>): Promise<T>;
}

export function importMetrics(metrics: MetricsService): ImportMetrics {
  const imports = metrics.counter<'outcome'>({
    name: 'ahe_imports_total',
    help: 'Bulk imports run by POST /v1/import, by outcome: imported, refused (an invalid line; nothing appended), conflict (a stream changed meanwhile), error',
    labelNames: ['outcome'],
  });
  const events = metrics.counter({
    name: 'ahe_imported_events_total',
    help: 'Events appended by POST /v1/import, those a conflicting import appended before it stopped included',
  });
  return {
    async counted(run) {
      try {
        const result = await run();
        imports.inc({ outcome: 'imported' });
        events.inc(result.events);
        return result;
      } catch (error) {
        imports.inc({ outcome: outcomeOf(error) });
        // A conflict stops an import part way: what it appended before stays in the log.
        if (error instanceof ImportConflictError) events.inc(error.appended.events);
        throw error;
      }
    },
  };
}

function outcomeOf(error: unknown): ImportOutcome {
  if (error instanceof InvalidImportLineError) return 'refused';
  if (error instanceof ImportConflictError) return 'conflict';
  return 'error';
}
