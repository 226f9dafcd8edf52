import { parseEventData } from './parsing';

function scoreIssues(kind: string, score: unknown) {
  const result = parseEventData('SatisfactionRecorded', { kind, score });
  return result.ok ? [] : result.issues;
}

describe('SatisfactionRecorded score', () => {
  it.each([1, 2, 3, 4, 5])('accepts csat %i', (score) => {
    expect(scoreIssues('csat', score)).toEqual([]);
  });

  it.each([0, 6, 10])('rejects csat %i, naming the score and its range', (score) => {
    expect(scoreIssues('csat', score)).toEqual([
      { path: 'score', message: 'score must be between 1 and 5 when kind is csat' },
    ]);
  });

  it.each([0, 5, 10])('accepts nps %i', (score) => {
    expect(scoreIssues('nps', score)).toEqual([]);
  });

  it.each([-1, 11])('rejects nps %i, naming the score and its range', (score) => {
    expect(scoreIssues('nps', score)).toEqual([
      { path: 'score', message: 'score must be between 0 and 10 when kind is nps' },
    ]);
  });

  it.each(['csat', 'nps'])('rejects a fractional %s score', (kind) => {
    expect(scoreIssues(kind, 4.5)).toEqual([{ path: 'score', message: 'score must be an integer' }]);
  });

  it('requires the score', () => {
    expect(scoreIssues('nps', undefined)).toEqual([{ path: 'score', message: 'score is required' }]);
  });
});
