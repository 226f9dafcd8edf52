import { setTimeout as sleep } from 'node:timers/promises';
import { currentCorrelationId, runWithCorrelationId } from './correlation-id';
import { requestContext, type RequestContext } from './request-context';

const inRequest = <T>(correlationId: string, work: () => T): T => requestContext.run({ correlationId } as RequestContext, work);

describe('currentCorrelationId', () => {
  it('is the id of the request being served, across awaits, from its logging context alone', async () => {
    expect(currentCorrelationId()).toBeUndefined();
    await inRequest('request-1', async () => {
      await sleep(1);
      expect(currentCorrelationId()).toBe('request-1');
    });
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('prefers an id a worker set with runWithCorrelationId, inside a request or not', async () => {
    await inRequest('request-2', () => runWithCorrelationId('job-7', async () => {
      await sleep(1);
      expect(currentCorrelationId()).toBe('job-7');
    }));
    expect(runWithCorrelationId('job-8', currentCorrelationId)).toBe('job-8');
  });
});
