import type { OpenLoopRequest } from './open-loop';
import { RequestSets } from './load-protocol';

describe('RequestSets', () => {
  it('numbers a list once, by identity: the same list is not new again, an equal list made afresh is', () => {
    const sets = new RequestSets();
    const ids: OpenLoopRequest[] = [{ method: 'GET', path: '/v1/health/a' }, { method: 'GET', path: '/v1/health/b' }];
    const first = sets.numberOf(ids);
    expect(first.isNew).toBe(true);
    expect(sets.numberOf(ids)).toEqual({ set: first.set, isNew: false });
    const again = sets.numberOf([...ids]);
    expect(again.isNew).toBe(true);
    expect(again.set).not.toBe(first.set);
    expect(sets.numberOf(ids)).toEqual({ set: first.set, isNew: false });
  });

  it('sends a list again after forget: a list that failed to reach the client is not taken as kept', () => {
    const sets = new RequestSets();
    const ids: OpenLoopRequest[] = [{ method: 'GET', path: '/v1/health/a' }];
    const first = sets.numberOf(ids);
    sets.forget(ids);
    const again = sets.numberOf(ids);
    expect(again.isNew).toBe(true);
    expect(again.set).not.toBe(first.set);
  });
});
