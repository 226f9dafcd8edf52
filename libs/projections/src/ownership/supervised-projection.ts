import type { AdvisoryLease } from '@ahe/database';
import type { Checkpoint } from '@ahe/event-store';
import type { ProjectionDefinition } from '../projection.definition';
import type { GenerationRunner } from '../runner/generation-runner';
import type { LogProbe } from '../status/log-probe';

/** What the swapper and the upkeep see of the supervisor they work for. */
export interface SupervisedProjection {
  readonly name: string;
  readonly definition: ProjectionDefinition;
  readonly ownerToken: string;
  readonly lease: AdvisoryLease;
  readonly probe: LogProbe;
  readonly serving?: GenerationRunner;
  readonly building?: GenerationRunner;
  readonly servingGeneration: number;
  /** The frozen serving generation's checkpoint, while it is stale. */
  readonly frozenAt?: Checkpoint;
  readonly isStopping: boolean;
  /** Makes `runner` (swapped in) the serving generation; returns the one it replaces. */
  promote(runner: GenerationRunner): GenerationRunner | undefined;
  /**
   * Stops the building generation's `runner` where it stands: held back from the swap
   * (GenerationSwapper), or retired for a new rebuild (takeRebuildRequestsInTurn).
   */
  setAside(runner: GenerationRunner): void;
  abandon(reason: string): void;
  /** `runner` was fenced out of its generation: abandons the projection unless our own swap did it. */
  fencedOut(runner: GenerationRunner, reason: string): void;
  checkRebuildRequests(): Promise<void>;
  swapIfCaughtUp(): Promise<void>;
}

/** How a supervisor tells the engine about itself. */
export interface SupervisorHooks {
  /** The supervisor can no longer vouch for its ownership; the engine stops it and tries again later. */
  abandon(reason: string): void;
  swapped(name: string, generation: number): void;
}
