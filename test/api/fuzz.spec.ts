import fc from 'fast-check';
import { startApi, type RunningApi } from './api-harness';
import { COMMAND_ROUTES, prepareAccount, send, type CommandRouteCase } from './command-routes';

/** Strings that have broken parsers and databases before: NUL, lone surrogates, huge numbers, markup. */
const nasty = fc.constantFrom(
  '\u0000', '\ud800', '﻿', '-0', 'NaN', '1e309', '2025-02-30', '2025-01-01T25:00:00Z', '__proto__', 'constructor',
  "' OR 1=1 --", '<img src=x onerror=alert(1)>', ' ', '', 'x'.repeat(20_000),
);
const anyValue = fc.oneof(fc.jsonValue(), nasty, fc.double(), fc.integer(), fc.bigInt().map(String));

function bodies(route: CommandRouteCase): fc.Arbitrary<unknown> {
  const valid = route.body();
  const fields = [...Object.keys(valid), ...Object.keys(route.wrongTyped)];
  return fc.oneof(
    // A valid body with one field replaced by anything.
    fc.record({ field: fc.constantFrom(...fields), value: anyValue }).map(({ field, value }) => ({ ...valid, [field]: value })),
    // A valid body with fields dropped.
    fc.subarray(fields).map((dropped) => Object.fromEntries(Object.entries(valid).filter(([key]) => !dropped.includes(key)))),
    // A valid body with an unknown field.
    fc.record({ key: fc.string({ minLength: 1 }), value: anyValue }).map(({ key, value }) => ({ ...valid, [key]: value })),
    // Anything at all.
    fc.jsonValue(),
    fc.dictionary(fc.constantFrom(...fields, 'occurredAt', 'extra'), anyValue),
  );
}

/** Property: whatever the body, never a 5xx, and a rejected request appends nothing. */
describe('fuzzing the command routes', () => {
  let api: RunningApi;
  beforeAll(async () => (api = await startApi('embedded')));
  afterAll(() => api.close());

  it.each(COMMAND_ROUTES.map((route) => [route.name, route] as const))('%s', async (_name, route) => {
    const accountId = await prepareAccount(api);
    const streamId = `account-${accountId}`;
    await fc.assert(
      fc.asyncProperty(bodies(route), async (body) => {
        const before = await api.store.streamRevision(streamId);
        const response = await send(api, route, accountId).set('Content-Type', 'application/json').send(JSON.stringify(body));
        expect(response.status).toBeLessThan(500);
        const after = await api.store.streamRevision(streamId);
        if (response.status >= 400) {
          expect(response.body).toMatchObject({ statusCode: response.status, error: expect.any(String), message: expect.any(String) });
          expect(after).toBe(before);
        } else {
          expect(response.body).toMatchObject({ revision: expect.any(Number), eventIds: [expect.any(String)] });
          if (route.name !== 'open account') expect(after).toBe(before + 1);
        }
      }),
      { numRuns: 150 },
    );
  });
});
