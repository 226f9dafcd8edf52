import { FailureStreak } from './failure-streak';

const failure = (second: number, eventsProcessed = 500, generation = 2) =>
  ({ generation, error: 'refused (P0001)', at: new Date(Date.UTC(2026, 0, 1, 0, 0, second)), eventsProcessed });

describe('FailureStreak', () => {
  it('counts the failures recorded with no batch committed between them, each once however often it is read', () => {
    const streak = new FailureStreak();
    expect(streak.observe(null)).toBeUndefined();
    expect(streak.observe(failure(1))).toMatchObject({ inARow: 1, error: 'refused (P0001)' });
    expect(streak.observe(failure(1))).toBeUndefined();
    expect(streak.observe(null)).toBeUndefined();
    expect(streak.observe(failure(2))?.inARow).toBe(2);
    expect(streak.observe(failure(4))?.inARow).toBe(3);
  });

  it('starts again after a batch committed (the count of events moved) or for another generation', () => {
    const streak = new FailureStreak();
    streak.observe(failure(1));
    expect(streak.observe(failure(2))?.inARow).toBe(2);
    expect(streak.observe(failure(4, 1_000))?.inARow).toBe(1);
    expect(streak.observe(failure(8, 1_000))?.inARow).toBe(2);
    expect(streak.observe(failure(9, 1_000, 3))?.inARow).toBe(1);
  });
});
