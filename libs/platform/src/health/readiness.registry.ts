import { Injectable } from '@nestjs/common';

/** Resolves when the dependency can serve; throws (with a reason) when it cannot. */
export type ReadinessProbe = (options: { signal: AbortSignal }) => Promise<Record<string, unknown> | void>;

export interface ReadinessCheck {
  /** Key in the /health/ready body and in the 503 message, e.g. `eventStore`, `redis`. */
  readonly name: string;
  readonly probe: ReadinessProbe;
  /** A probe slower than this counts as down. */
  readonly timeoutMs: number;
}

const DEFAULT_TIMEOUT_MS = 3000;

/**
 * What /health/ready checks. Each feature registers the dependencies it cannot serve without
 * (the event store, Redis, projection lag) from its own module, typically in onModuleInit, so
 * the health controller never has to know them.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, probe: ReadinessProbe, options: { timeoutMs?: number } = {}): void {
    if (this.checks.has(name)) throw new Error(`Readiness check "${name}" is registered twice`);
    this.checks.set(name, { name, probe, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  }

  list(): readonly ReadinessCheck[] {
    return [...this.checks.values()];
  }
}
