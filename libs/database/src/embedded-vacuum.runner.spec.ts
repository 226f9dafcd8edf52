import { drain, tableWith, until } from './embedded-vacuum-harness.contract';
import { EmbeddedVacuum, IN_MEMORY, PgliteClient, type VacuumStepOutcome } from './index';

/** The client as EmbeddedVacuum sees it, with `beforeExec` run ahead of each of its statements. */
function intercepted(client: PgliteClient, beforeExec: (statement: string) => Promise<'skip' | void>) {
  return {
    query: client.query.bind(client),
    exec: async (statement: string) => {
      if ((await beforeExec(statement)) === 'skip') return;
      return client.exec(statement);
    },
  };
}

describe('EmbeddedVacuum: how it steps, on PGlite', () => {
  let client: PgliteClient;
  beforeEach(async () => (client = await PgliteClient.open(IN_MEMORY, 'main')));
  afterEach(() => client.close());

  it('skips a table dropped between reading the catalog and vacuuming it, and the next step goes on', async () => {
    await drain(new EmbeddedVacuum(client, { intervalMs: 60_000 }));
    const doomed = await tableWith(client, 100, 2);
    const statements: string[] = [];
    const vacuum = new EmbeddedVacuum(
      intercepted(client, async (statement) => {
        statements.push(statement);
        if (statement.endsWith(`public.${doomed}`)) await client.exec(`DROP TABLE ${doomed}`);
      }),
      { intervalMs: 60_000 },
    );

    expect(await vacuum.step()).toEqual({ oldestXidAge: expect.any(Number) });
    expect(statements).toEqual([`VACUUM public.${doomed}`]);
    await expect(vacuum.step()).resolves.toEqual(expect.objectContaining({ oldestXidAge: expect.any(Number) }));
  });

  it('lets a table whose statement fails, or leaves it due, rest for an interval, so that the others are maintained', async () => {
    await drain(new EmbeddedVacuum(client, { intervalMs: 60_000 }));
    const failing = await tableWith(client, 300, 2); // the most dead rows: chosen first
    const stuck = await tableWith(client, 200, 2); // its VACUUM is dropped on the way, so it stays due
    const healthy = await tableWith(client, 100, 2);
    const sent: string[] = [];
    const vacuum = new EmbeddedVacuum(
      intercepted(client, async (statement) => {
        sent.push(statement);
        if (statement === `VACUUM public.${failing}`) throw Object.assign(new Error('could not read block 0'), { code: 'XX001' });
        if (statement === `VACUUM public.${stuck}`) return 'skip';
      }),
      { intervalMs: 1_500 },
    );
    const attemptsOn = (table: string) => sent.filter((statement) => statement === `VACUUM public.${table}`).length;

    const { reports, errors } = await drain(vacuum, 50);
    expect(errors.map((error) => error.message)).toEqual(['could not read block 0']);
    expect([attemptsOn(failing), attemptsOn(stuck)]).toEqual([1, 1]);
    expect(reports).toContainEqual(expect.objectContaining({ target: `public.${healthy}`, reason: 'dead_rows' }));

    await new Promise((resolve) => setTimeout(resolve, 1_600)); // the rest is over
    await expect(vacuum.step()).rejects.toThrow('could not read block 0');
    expect(attemptsOn(failing)).toBe(2);
  });

  it('lets a busy table due for its dead rows again after every ANALYZE rest after two steps, so that the others are maintained', async () => {
    await drain(new EmbeddedVacuum(client, { intervalMs: 60_000 }));
    const busy = await tableWith(client, 100, 2);
    const waiting = await tableWith(client, 60, 0); // due for its statistics only: below any dead-row table
    const sent: string[] = [];
    const vacuum = new EmbeddedVacuum(
      intercepted(client, async (statement) => {
        sent.push(statement);
        if (statement === `ANALYZE public.${busy}`) {
          // Writes keep coming: by the next step it is due for its dead rows again.
          await client.exec(`UPDATE ${busy} SET n = n + 1; UPDATE ${busy} SET n = n + 1`);
          await new Promise((resolve) => setTimeout(resolve, 1_100));
        }
      }),
      { intervalMs: 60_000 },
    );

    const { reports } = await drain(vacuum, 20);
    expect(sent.slice(0, 2)).toEqual([`VACUUM public.${busy}`, `ANALYZE public.${busy}`]);
    expect(reports).toContainEqual(expect.objectContaining({ target: `public.${waiting}`, reason: 'statistics' }));
    expect(sent.filter((statement) => statement.endsWith(`public.${busy}`))).toHaveLength(2);
  });

  it('steps on its own until stopped, and no step starts once stop() has resolved', async () => {
    const churned = await tableWith(client, 100, 2);
    const outcomes: VacuumStepOutcome[] = [];
    const vacuum = new EmbeddedVacuum(client, { intervalMs: 20, onStep: (outcome) => outcomes.push(outcome) });
    vacuum.start();
    await until(() => outcomes.some((outcome) => outcome.vacuumed?.target === `public.${churned}`), `${churned} vacuumed`);
    await until(() => outcomes.some((outcome) => !outcome.vacuumed), 'a step with nothing due');
    await vacuum.stop();
    const seen = outcomes.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(outcomes).toHaveLength(seen);
  });

  it('stop() waits for the statement under way, so the client can close after it', async () => {
    await tableWith(client, 100, 2);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const vacuum = new EmbeddedVacuum(
      intercepted(client, async () => {
        started = true;
        await held;
      }),
      { intervalMs: 10 },
    );
    vacuum.start();
    await until(() => started, 'a statement under way');
    let stopped = false;
    const stopping = vacuum.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    release();
    await stopping;
    await expect(client.close()).resolves.toBeUndefined();
  });

  it('reports a failed step and keeps stepping', async () => {
    const errors: Error[] = [];
    const closed = await PgliteClient.open(IN_MEMORY, 'main');
    await closed.close();
    const vacuum = new EmbeddedVacuum(closed, { intervalMs: 20, onError: (error) => errors.push(error) });
    vacuum.start();
    await until(() => errors.length >= 2, 'two failed steps');
    await vacuum.stop();
    expect(errors[0]!.message).toMatch(/clos/i);
  });
});
