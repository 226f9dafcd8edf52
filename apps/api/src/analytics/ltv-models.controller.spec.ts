import type { SqlClient } from '@ahe/database';
import { countsAsOf, ltvModelsAsOfInWorker, type TimeAxis } from '@ahe/read-models';
import type { EventEnvelope, EventStore, ReadAllOptions } from '@ahe/event-store';
import { DAY, instantsOver, portfolioLog } from '../../../../libs/read-models/src/as-of/ltv-log.fixtures';
import { LtvModelsAsOfCache } from '../audit/as-of/ltv-models-as-of.cache';
import { replayStore } from './event-log';
import { LtvModelsController } from './ltv-models.controller';

const AXES: readonly TimeAxis[] = ['occurred', 'recorded'];

/** A store over a log in memory that grows by `push`, counting the events it hands out; event n sits at checkpoint n + 1. */
function storeOver(log: readonly EventEnvelope[]) {
  const read = { events: 0 };
  const store = {
    async readAll({ after, limit = 1_000 }: ReadAllOptions = {}) {
      const from = Number(after?.commit ?? 0n);
      const events = log.slice(from, from + limit);
      read.events += events.length;
      return { events, checkpoint: { commit: BigInt(from + events.length), prepare: 0n } };
    },
  } as unknown as EventStore;
  return { store, read };
}

describe('GET /v1/ltv/models?asOf= (LtvModelsController)', () => {
  it('answers from the as-of cache what a replay of the whole log fits, on both axes, before and after back-dated events arrive', async () => {
    const log = portfolioLog(7, 30, 1_600);
    const firstPart = log.slice(0, 1_000);
    const stored = [...firstPart];
    const cached = storeOver(stored);
    const replayed = storeOver(stored);
    const controller = new LtvModelsController({} as SqlClient, new LtvModelsAsOfCache(cached.store));
    const firstEnd = Date.parse(firstPart.at(-1)!.recordedAt);
    // Spread over the log, and close before the end of the first part, where the later back-dated events land.
    const instants = [...instantsOver(log, 4), new Date(firstEnd - 20 * DAY), new Date(firstEnd)];
    const answersMatchReplay = async () => {
      for (const at of instants) {
        for (const axis of AXES) {
          const replay = await ltvModelsAsOfInWorker(await replayStore(replayed.store, { asOf: at, axis }));
          expect(await controller.models({ asOf: at.toISOString(), axis })).toEqual(replay);
        }
      }
    };

    await answersMatchReplay();
    const rest = log.slice(1_000);
    stored.push(...rest);
    // Some of what arrives counts at a kept instant on the occurred axis only: recorded after it, back-dated before it.
    const backDated = rest.filter((event) => countsAsOf(event, firstEnd - 20 * DAY, 'occurred') && event.streamId.startsWith('account-'));
    expect(backDated.length).toBeGreaterThan(0);
    expect(backDated.some((event) => countsAsOf(event, firstEnd - 20 * DAY, 'recorded'))).toBe(false);
    await answersMatchReplay();
    // Each event read once, into the index: no request replayed the log.
    expect(cached.read.events).toBe(log.length);
    expect(replayed.read.events).toBeGreaterThan(log.length * instants.length);
  });
});
