import type { EventEnvelope } from '@ahe/event-store';
import { AccountNotOpenedError, evolveHealthFacts, type AccountHealthFacts } from '../account-health/account-health.facts';

/**
 * A stream no fold can replay: a revision is missing, or an event precedes any AccountOpened
 * (its opening row deleted, say). The log was changed behind the engine's back, which the
 * tamper check names; an as-of answer can only refuse, naming the revision where it stopped.
 */
export class BrokenStreamError extends Error {
  override readonly name = 'BrokenStreamError';

  constructor(readonly streamId: string, readonly revision: number | null, readonly reason: string) {
    super(`stream ${streamId} is broken${revision === null ? '' : ` at revision ${revision}`}: ${reason}`);
  }
}

/** A revision the log should hold and does not: deleted behind the engine's back. */
export const missingRevision = (streamId: string, revision: number, context = ''): BrokenStreamError =>
  new BrokenStreamError(streamId, revision, `revision ${revision} is missing${context}`);

/** evolveHealthFacts, an event before any opening reported as a broken stream at its revision. */
export function evolveOrBroken(facts: AccountHealthFacts, envelope: EventEnvelope): AccountHealthFacts {
  try {
    return evolveHealthFacts(facts, envelope);
  } catch (error) {
    if (!(error instanceof AccountNotOpenedError)) throw error;
    throw new BrokenStreamError(envelope.streamId, envelope.revision, `${envelope.type} precedes any AccountOpened`);
  }
}
