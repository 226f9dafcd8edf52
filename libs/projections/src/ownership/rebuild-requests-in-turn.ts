import type { EngineContext } from '../engine/engine-options';
import { takeRebuildRequests } from '../rebuild/rebuild-requests';
import { FencedOutError } from '../runner/runner-errors';
import type { SupervisedProjection } from './supervised-projection';

/**
 * Takes the projection's open rebuild requests (takeRebuildRequests) in turn with its building
 * generation's batches. An answer may retire that generation, bound to be held: its runner then
 * stops before its next batch, which would find itself fenced out and give the projection up.
 * Resolves to the generation started, or null.
 */
export async function takeRebuildRequestsInTurn(ctx: EngineContext, supervisor: SupervisedProjection): Promise<number | null> {
  const claimant = { owner: ctx.owner, ownerToken: supervisor.ownerToken };
  try {
    return await takeRebuildRequests(ctx.sql, supervisor.definition, claimant, (answer) => answerInTurn(ctx, supervisor, answer));
  } catch (error) {
    if (!(error instanceof FencedOutError)) throw error;
    // Another process has claimed the projection: its owner answers the requests.
    supervisor.abandon(error.message);
    return null;
  }
}

function answerInTurn(ctx: EngineContext, supervisor: SupervisedProjection, answer: () => Promise<number | null>): Promise<number | null> {
  const runner = supervisor.building;
  if (!runner) return answer();
  return runner.exclusive(async () => {
    const started = await answer();
    // Still building here, and yet a generation was started: this one was retired.
    if (started !== null && runner === supervisor.building) {
      const name = supervisor.name;
      const reason = `generation ${runner.generation} parked events that generation ${supervisor.servingGeneration} applied, so it could never be swapped in`;
      ctx.logger.warn(`Projection ${name}: ${reason}; replaced by generation ${started}`, { projection: name, generation: runner.generation });
      supervisor.setAside(runner);
    }
    return started;
  });
}
