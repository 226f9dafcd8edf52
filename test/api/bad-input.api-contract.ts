import { ERROR_SHAPE, type RunningApi } from './api-harness';
import { COMMAND_ROUTES, prepareAccount, send, type CommandRouteCase } from './command-routes';

const routes = COMMAND_ROUTES.map((route) => [route.name, route] as const);

/**
 * Bad input on every command route: a 400 (or 413) in the error shape whose message names the
 * field, and nothing appended. Each test sends to a prepared account and checks its revision.
 */
export function describeBadInput(api: () => RunningApi): void {
  async function expectRejected(route: CommandRouteCase, body: unknown, status: number, raw = false) {
    const accountId = await prepareAccount(api());
    const target = route.name === 'open account' ? 'open-never' : accountId;
    let call = send(api(), route, accountId);
    if (raw) call = call.set('Content-Type', 'application/json');
    const response = await call.send(body as object);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ ...ERROR_SHAPE, statusCode: status });
    expect(await api().store.streamRevision(`account-${accountId}`)).toBe(2);
    expect(await api().store.streamRevision(`account-${target}`)).toBe(target === accountId ? 2 : -1);
    return response.body as { message: string; field?: string; details?: unknown };
  }

  describe.each(routes)('%s', (_name, route) => {
    const body = (): Record<string, unknown> => ({ ...route.body(), accountId: route.name === 'open account' ? 'open-never' : undefined });

    it.each(route.required.map((field) => [field]))('names a missing %s', async (field) => {
      const { [field]: _dropped, ...rest } = body();
      const error = await expectRejected(route, rest, 400);
      expect(error.message).toContain(field);
      expect(error.field).toBe(field);
      // What is missing holds no character at all: only the checks that say so speak.
      expect(error.message).not.toContain('NUL');
    });

    it.each(Object.entries(route.wrongTyped))('names %s when it has the wrong type', async (field, value) => {
      const error = await expectRejected(route, { ...body(), [field]: value }, 400);
      expect(error.message).toContain(field);
    });

    it('refuses an unknown field, naming it', async () => {
      const error = await expectRejected(route, { ...body(), isAdmin: true }, 400);
      expect(error.message).toBe('property isAdmin should not exist');
      expect(error.details).toEqual([{ field: 'isAdmin', messages: ['property isAdmin should not exist'] }]);
    });

    it('refuses broken JSON, a body that is not an object, and no body at all', async () => {
      expect((await expectRejected(route, '{"amount": 1,', 400, true)).message).toMatch(/^Body is not valid JSON/);
      for (const notAnObject of ['[1,2]', '"text"', '42', 'null']) {
        expect((await expectRejected(route, notAnObject, 400, true)).message).toBe('The body must be a JSON object');
      }
      // No body is an empty command: the 400 names what it lacks.
      expect((await expectRejected(route, undefined, 400)).message).toMatch(new RegExp(route.required.join('|')));
    });

    it('refuses a body over the size limit with 413', async () => {
      await expectRejected(route, { ...body(), padding: 'x'.repeat(1024 * 1024) }, 413);
    });
  });

  it('names nested fields by their path', async () => {
    const response = await api().http().post('/v1/accounts')
      .send({ name: 'A', segment: 's', managerId: 'm', currency: 'EUR', contract: { startsOn: '2025-13-01', endsOn: '2026-01-01', annualValue: 1.5 } })
      .expect(400);
    expect(response.body.message).toContain('contract.startsOn must be');
    expect(response.body.message).toContain('contract.annualValue must be an integer');
    expect(response.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'contract.startsOn' }), expect.objectContaining({ field: 'contract.annualValue' })]),
    );
  });

  it('refuses a bad account id in the path', async () => {
    const response = await api().http().post(`/v1/accounts/${'a'.repeat(65)}/contacts`).send({ channel: 'call', direction: 'inbound', summary: 'x' });
    expect(response.status).toBe(400);
    expect(response.body.field).toBe('accountId');
  });

  it('refuses a bad Idempotency-Key or If-Match header, naming it', async () => {
    const accountId = await prepareAccount(api());
    const contact = { channel: 'call', direction: 'inbound', summary: 'x' };
    const key = await api().http().post(`/v1/accounts/${accountId}/contacts`).set('Idempotency-Key', 'has space').send(contact).expect(400);
    expect(key.body.field).toBe('Idempotency-Key');
    const match = await api().http().post(`/v1/accounts/${accountId}/contacts`).set('If-Match', 'latest').send(contact).expect(400);
    expect(match.body.field).toBe('If-Match');
    expect(await api().store.streamRevision(`account-${accountId}`)).toBe(2);
  });
}
