import type { MetricsService } from '@ahe/platform';
import type { ProjectionMetrics } from '../engine/engine-options';

const BATCH_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The engine's reports as Prometheus series (all generations, a rebuild's included). */
export function prometheusProjectionMetrics(metrics: MetricsService): ProjectionMetrics {
  const events = metrics.counter<'projection'>({
    name: 'ahe_projection_events_total',
    help: 'Events applied by projections, parked ones and rebuilds included',
    labelNames: ['projection'],
  });
  const batches = metrics.histogram<'projection'>({
    name: 'ahe_projection_batch_duration_seconds',
    help: 'Time to apply and commit one projection batch',
    labelNames: ['projection'],
    buckets: BATCH_BUCKETS,
  });
  const position = metrics.gauge<'projection' | 'generation'>({
    name: 'ahe_projection_position',
    help: 'Global position of the last event applied, per running generation',
    labelNames: ['projection', 'generation'],
  });
  const lagEvents = metrics.gauge<'projection'>({
    name: 'ahe_projection_lag_events',
    help: 'Events in the log the serving generation has not applied yet',
    labelNames: ['projection'],
  });
  const lagSeconds = metrics.gauge<'projection'>({
    name: 'ahe_projection_lag_seconds',
    help: 'Age of the oldest event the serving generation has not applied yet (0 when caught up)',
    labelNames: ['projection'],
  });
  const parked = metrics.counter<'projection'>({
    name: 'ahe_projection_parked_events_total',
    help: 'Events a projection could not apply and set aside',
    labelNames: ['projection'],
  });
  // Who last set each position series: a stop that ends late must not remove the series of the
  // supervisor that took the projection back in this process meanwhile.
  const positionHolders = new Map<string, string>();
  const seriesKey = (sample: { name: string; generation: number }) => `${sample.name}#${sample.generation}`;
  return {
    batchApplied: (sample) => {
      events.inc({ projection: sample.name }, sample.events);
      batches.observe({ projection: sample.name }, sample.seconds);
      position.set({ projection: sample.name, generation: String(sample.generation) }, sample.position);
      positionHolders.set(seriesKey(sample), sample.holder);
    },
    eventParked: (sample) => parked.inc({ projection: sample.name }),
    lag: (sample) => {
      lagEvents.set({ projection: sample.name }, sample.events);
      lagSeconds.set({ projection: sample.name }, sample.seconds);
    },
    generationStopped: (sample) => {
      const key = seriesKey(sample);
      const holder = positionHolders.get(key);
      if (holder !== undefined && holder !== sample.holder) return;
      positionHolders.delete(key);
      position.remove({ projection: sample.name, generation: String(sample.generation) });
    },
    // Only the projection's owner samples its lag: a value left here once this process has let the
    // projection go would never change again. A swap is no release: the lag stays.
    projectionReleased: (sample) => {
      lagEvents.remove({ projection: sample.name });
      lagSeconds.remove({ projection: sample.name });
    },
  };
}
