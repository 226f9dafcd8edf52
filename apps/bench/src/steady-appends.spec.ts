import { achievedRate, type CommittedAppend } from './steady-appends';

/** `count` appends committed evenly from `startedAt` to `lastAt` (ms). */
const committed = (count: number, startedAt: number, lastAt: number): CommittedAppend[] =>
  Array.from({ length: count }, (_, index) => ({ committedAt: startedAt + ((lastAt - startedAt) * (index + 1)) / count, position: index + 1 }));

describe('achievedRate: what the steady appends achieved', () => {
  it('is the scheduled rate when the appends kept up with the schedule', () => {
    expect(achievedRate(committed(3_000, 1_000, 3_990), 1, 1_000, 3)).toBe(1_000);
  });

  it('is the rate over the time they took when they fell behind it', () => {
    expect(achievedRate(committed(3_000, 1_000, 9_000), 1, 1_000, 3)).toBe(375);
    expect(achievedRate(committed(1_000, 0, 8_000), 4, 0, 3)).toBe(500);
  });

  it('counts nothing achieved when nothing committed', () => {
    expect(achievedRate([], 1, 0, 3)).toBe(0);
  });
});
