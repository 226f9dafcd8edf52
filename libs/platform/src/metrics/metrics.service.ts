import { Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
} from 'prom-client';

/** Our metric names all start with it, so they are easy to find next to the process metrics. */
export const METRIC_PREFIX = 'ahe_';

type MetricClass<M> = new (config: never) => M;

/**
 * One registry per application (not prom-client's global one), so several apps in one test
 * process do not collide. Features get their metrics here: asking twice for the same name
 * returns the same metric, so two modules may share a counter without coordinating.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor() {
    // Standard names (process_*, nodejs_*) so stock Node.js dashboards work unchanged.
    collectDefaultMetrics({ register: this.registry });
  }

  counter<Labels extends string = string>(config: Omit<CounterConfiguration<Labels>, 'registers'>): Counter<Labels> {
    return this.getOrCreate(Counter as MetricClass<Counter<Labels>>, config);
  }

  gauge<Labels extends string = string>(config: Omit<GaugeConfiguration<Labels>, 'registers'>): Gauge<Labels> {
    return this.getOrCreate(Gauge as MetricClass<Gauge<Labels>>, config);
  }

  histogram<Labels extends string = string>(config: Omit<HistogramConfiguration<Labels>, 'registers'>): Histogram<Labels> {
    return this.getOrCreate(Histogram as MetricClass<Histogram<Labels>>, config);
  }

  /** Prometheus text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private getOrCreate<M extends Metric>(type: MetricClass<M>, config: { name: string }): M {
    if (!config.name.startsWith(METRIC_PREFIX)) {
      throw new Error(`Metric ${config.name} must be named ${METRIC_PREFIX}…`);
    }
    const existing = this.registry.getSingleMetric(config.name);
    if (existing) {
      if (!(existing instanceof type)) throw new Error(`Metric ${config.name} already exists with another type`);
      return existing;
    }
    return new type({ ...config, registers: [this.registry] } as never);
  }
}
