import { compareCheckpoints } from '../checkpoint';
import { START } from '../event-store.port';
import { revisionMatches } from '../append-checks';
import {
  expectedForHead, fromCurrentRevision, globalPositionOf, isPast, readPositionAfter, toCheckpoint, toEsdbExpected,
} from './esdb-positions';

describe('EventStoreDB positions and revisions', () => {
  it('uses the $all position as the checkpoint, in the same (commit, prepare) order', () => {
    const a = toCheckpoint({ commit: 500n, prepare: 400n });
    const b = toCheckpoint({ commit: 500n, prepare: 450n });
    const c = toCheckpoint({ commit: 900n, prepare: 10n });
    expect(a).toEqual({ commit: 500n, prepare: 400n });
    expect([c, a, b].sort(compareCheckpoints)).toEqual([a, b, c]);
    expect(isPast({ commit: 500n, prepare: 450n }, a)).toBe(true);
    expect(isPast({ commit: 500n, prepare: 400n }, a)).toBe(false); // fromPosition is inclusive: the checkpoint's own event is skipped
    expect(isPast({ commit: 499n, prepare: 999n }, a)).toBe(false);
  });

  it('starts a $all read at the beginning for START, else at the checkpoint itself', () => {
    expect(readPositionAfter(START)).toBe('start');
    expect(readPositionAfter({ commit: 7n, prepare: 5n })).toEqual({ commit: 7n, prepare: 5n });
  });

  it('takes the prepare position as the numeric global position, refusing what a number cannot hold', () => {
    expect(globalPositionOf({ commit: 2000n, prepare: 1234n })).toBe(1234);
    expect(() => globalPositionOf({ commit: 0n, prepare: 2n ** 53n })).toThrow(RangeError);
  });

  it('writes against the head it read: no_stream for an empty stream, else its revision', () => {
    expect(expectedForHead(-1)).toBe('no_stream');
    expect(expectedForHead(0)).toBe(0n);
    expect(expectedForHead(41)).toBe(41n);
  });

  it('maps the port’s expected revisions to the client’s and back', () => {
    expect(toEsdbExpected('any')).toBe('any');
    expect(toEsdbExpected('no_stream')).toBe('no_stream');
    expect(toEsdbExpected('stream_exists')).toBe('stream_exists');
    expect(toEsdbExpected(3)).toBe(3n);
    expect(fromCurrentRevision('no_stream')).toBe(-1);
    expect(fromCurrentRevision(undefined)).toBe(-1);
    expect(fromCurrentRevision(12n)).toBe(12);
  });

  it.each([
    ['any', -1, true], ['any', 4, true],
    ['no_stream', -1, true], ['no_stream', 0, false],
    ['stream_exists', -1, false], ['stream_exists', 0, true],
    [2, 2, true], [2, 3, false], [0, -1, false],
  ] as const)('expected %s against actual %s matches: %s', (expected, actual, matches) => {
    expect(revisionMatches(expected, actual)).toBe(matches);
  });
});
