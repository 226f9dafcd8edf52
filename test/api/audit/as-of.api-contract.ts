import type { Backend, RunningApi } from '../api-harness';
import { describeAsOfInputs } from './as-of-inputs.api-contract';
import { describeAsOfLongStream } from './as-of-long-stream.api-contract';
import { describeAsOfReplay } from './as-of-replay.api-contract';
import { API_KEYS_ENV, startAsOfApi } from './as-of.harness';

/** GET /v1/accounts/:accountId/state and GET /v1/health/:accountId?asOf=, on one backend. */
export function describeAsOf(backend: Backend): void {
  describe('with the projections running beside', () => {
    let api: RunningApi;
    beforeAll(async () => (api = await startAsOfApi(backend, API_KEYS_ENV)));
    afterAll(() => api?.close());

    describe('as of the instants the live routes were read at, and around a back-dated event', () => describeAsOfReplay(() => api));
    describe('roles, bad input and unknown accounts', () => describeAsOfInputs(() => api));
  });
  describe('a stream of 10,000 events', () => describeAsOfLongStream(backend));
}
