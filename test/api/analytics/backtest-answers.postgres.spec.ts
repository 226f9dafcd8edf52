import type request from 'supertest';
import { BacktestReplayer } from '../../../apps/api/src/analytics/backtest-replayer';
import { BACKTEST_SERVED_HEADER } from '../../../apps/api/src/analytics/backtest.controller';
import { ERROR_SHAPE, freshAccountId, openAccountBody, startApi, type RunningApi } from '../api-harness';
import { sampleOf } from '../metrics/scrape';
import { DEMO_AS_OF, seedDemo } from './backtest.api-contract';

jest.setTimeout(180_000);

const DEMO = { accounts: 150, years: 2, seed: 11 } as const;
const SERVED = ['cache', 'shared', 'replay', 'busy'] as const;
type Served = (typeof SERVED)[number];

/** Polls `check` until it holds; fails naming `what` rather than hanging the suite. */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check());) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Gates not yet opened: a failing test opens them as it ends, so that no replay outlives it. */
const gates: Array<() => void> = [];

/** The first replay asked for after this call waits until the test calls `open`; the spy counts every replay. */
function gateFirstReplay(replayer: BacktestReplayer) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  gates.push(open);
  const backtest = replayer.backtest.bind(replayer);
  const spy = jest.spyOn(replayer, 'backtest').mockImplementation(async (question) => {
    if (spy.mock.calls.length === 1) await gate;
    return backtest(question);
  });
  return { spy, open };
}

describe('GET /v1/analytics/backtest on PostgreSQL: one replay per question, kept until the log changes it, a bounded number at once', () => {
  let api: RunningApi;
  let replayer: BacktestReplayer;
  beforeAll(async () => {
    api = await startApi('postgres');
    await seedDemo(api, DEMO);
    replayer = api.app.get(BacktestReplayer);
  });
  afterEach(() => {
    for (const open of gates.splice(0)) open();
    jest.restoreAllMocks();
  });
  afterAll(() => api?.close());

  const backtest = (query: string) => api.http().get(`/v1/analytics/backtest?${query}`);
  /** Sends the request now, without waiting for its answer. */
  const send = (query: string): Promise<request.Response> => new Promise((resolve, reject) => backtest(query).end((error, response) => (error ? reject(error) : resolve(response))));
  const served = async (): Promise<Record<Served, number>> => {
    const text = (await api.http().get('/metrics').expect(200)).text;
    return Object.fromEntries(SERVED.map((how) => [how, sampleOf(text, `ahe_backtest_requests_total{served="${how}"}`) ?? 0])) as Record<Served, number>;
  };
  const decided = async () => Object.values(await served()).reduce((sum, count) => sum + count, 0);
  const openAccountAt = (label: string, occurredAt: string) =>
    api.http().post('/v1/accounts').send(openAccountBody(freshAccountId(label), { occurredAt })).expect(201);

  it('answers two concurrent identical requests from one replay', async () => {
    const query = `asOf=${DEMO_AS_OF}&horizonDays=30`;
    const { spy, open } = gateFirstReplay(replayer);
    const before = await served();
    const first = send(query);
    await until('the first request replays', () => spy.mock.calls.length === 1);
    const second = send(query);
    // Both decided while the replay is held open: the second had it to join.
    await until('both requests are decided', async () => (await decided()) === Object.values(before).reduce((a, b) => a + b, 0) + 2);
    open();
    const [one, two] = await Promise.all([first, second]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(two.body).toEqual(one.body);
    expect(one.body).toMatchObject({ asOf: DEMO_AS_OF, horizonDays: 30, axis: 'occurred' });
    expect([one.headers[BACKTEST_SERVED_HEADER], two.headers[BACKTEST_SERVED_HEADER]]).toEqual(['replay', 'shared']);
    expect(spy).toHaveBeenCalledTimes(1);
    const after = await served();
    expect({ replay: after.replay - before.replay, shared: after.shared - before.shared }).toEqual({ replay: 1, shared: 1 });
  });

  it('serves a repeat from the cache, keeps it past events that do not count, and replays after one that changes the answer', async () => {
    const spy = jest.spyOn(replayer, 'backtest');
    const query = `asOf=${DEMO_AS_OF}&horizonDays=60`;
    const first = await backtest(query).expect(200);
    expect(first.headers[BACKTEST_SERVED_HEADER]).toBe('replay');
    const repeat = await backtest(query).expect(200);
    expect(repeat.headers[BACKTEST_SERVED_HEADER]).toBe('cache');
    expect(repeat.body).toEqual(first.body);

    // Opened now: after asOf + 60 days on both axes, so outside what the answer reads.
    await openAccountAt('opened-now', new Date().toISOString());
    const unchanged = await backtest(query).expect(200);
    expect(unchanged.headers[BACKTEST_SERVED_HEADER]).toBe('cache');
    expect(spy).toHaveBeenCalledTimes(1);

    // Back-dated before asOf: on the occurred axis, one more account open and scored at asOf.
    await openAccountAt('back-dated', '2025-03-01T09:00:00Z');
    const changed = await backtest(query).expect(200);
    expect(changed.headers[BACKTEST_SERVED_HEADER]).toBe('replay');
    expect(changed.body.accounts).toBe(first.body.accounts + 1);
    expect(spy).toHaveBeenCalledTimes(2);
    expect((await backtest(query).expect(200)).headers[BACKTEST_SERVED_HEADER]).toBe('cache');
  });

  it('asks the same question all day without asOf: the UTC midnight whose horizon has elapsed, kept like any other', async () => {
    const spy = jest.spyOn(replayer, 'backtest');
    const first = await backtest('horizonDays=30').expect(200);
    const day = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    expect(first.body.asOf).toBe(`${day}T00:00:00.000Z`);
    const repeat = await backtest('horizonDays=30').expect(200);
    expect(repeat.headers[BACKTEST_SERVED_HEADER]).toBe('cache');
    expect(repeat.body).toEqual(first.body);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('refuses a new question with 503 BACKTEST_BUSY and Retry-After while a replay runs, and still serves kept answers', async () => {
    const kept = `asOf=${DEMO_AS_OF}&horizonDays=90`;
    await backtest(kept).expect(200);
    const { spy, open } = gateFirstReplay(replayer);
    const running = send(`asOf=${DEMO_AS_OF}&horizonDays=120`);
    await until('the held replay starts', () => spy.mock.calls.length === 1);

    const refused = await backtest(`asOf=${DEMO_AS_OF}&horizonDays=150`).expect(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 503, code: 'BACKTEST_BUSY', details: { retryAfterSeconds: 5 } });
    expect(refused.body.message).toMatch(/already runs 1 .*Retry after 5 s/);
    expect((await backtest(kept).expect(200)).headers[BACKTEST_SERVED_HEADER]).toBe('cache');
    expect(spy).toHaveBeenCalledTimes(1);

    open();
    expect((await running).status).toBe(200);
    expect((await backtest(`asOf=${DEMO_AS_OF}&horizonDays=150`).expect(200)).headers[BACKTEST_SERVED_HEADER]).toBe('replay');
    expect((await served()).busy).toBeGreaterThanOrEqual(1);
  });
});
