import type { EventEnvelope } from '@ahe/event-store';
import { ensureProjectionSchema, RebuildHeldError } from '../index';
import { BACKENDS, readCounts, toyProjection, typed, until } from '../testing/toy-projection.contract';
import { rebuildHarness } from './rebuild-harness.contract';

const FAULTY_STREAM = 'account-3';

/** A fault of one generation's table only, as a constraint added to it would be: every write of FAULTY_STREAM there throws. */
function faultyIn(generation: number) {
  return async (events: readonly EventEnvelope[], physical: string) => {
    if (physical.endsWith(`__g${generation}`) && events.some((event) => event.streamId === FAULTY_STREAM)) {
      throw new Error(`check constraint violated in ${physical}`);
    }
  };
}

describe.each(BACKENDS)('the swap guard of blue/green rebuilds on $label', (backend) => {
  const harness = rebuildHarness(backend);
  const { engineFor, append, expected, statusOf } = harness;
  const faultyEvents = () => harness.counts.get(FAULTY_STREAM)!;
  const tableExists = async (table: string) =>
    (await harness.sql.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0]!.found;

  it('holds a generation that parked events the serving one applied, serves the old one, and lets a new rebuild replace it', async () => {
    const toy = toyProjection({ name: 'guarded', table: 'guarded_counts', beforeApply: faultyIn(2) });
    const engine = engineFor([toy]);
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    const served = await readCounts(harness.sql, 'guarded_counts');
    const parked = faultyEvents();

    const held = engine.rebuild('guarded');
    await expect(held).rejects.toThrow(RebuildHeldError);
    await expect(held).rejects.toMatchObject({
      generation: 2,
      message: `generation 2 parked ${parked} events that generation 1 did not park: not swapped in`,
    });
    const status = await statusOf(toy);
    expect(status).toMatchObject({
      generation: 1,
      status: 'live',
      parked: { count: 0 },
      rebuild: { generation: 2, status: 'held', held: expect.stringContaining(`parked ${parked} events`), parked: { count: parked } },
    });
    expect(new Set(status.rebuild!.parked.events.map((event) => event.streamId))).toEqual(new Set([FAULTY_STREAM]));
    expect(await readCounts(harness.sql, 'guarded_counts')).toEqual(served);

    // The held generation stands still; the serving one stays live.
    await append(FAULTY_STREAM);
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(harness.sql, 'guarded_counts')).toEqual(expected());
    expect((await statusOf(toy)).rebuild).toMatchObject({ generation: 2, status: 'held', parked: { count: parked } });

    await engine.rebuild('guarded');
    expect(await statusOf(toy)).toMatchObject({ generation: 3, rebuild: null, parked: { count: 0 } });
    expect(await readCounts(harness.sql, 'guarded_counts')).toEqual(expected());
    await until(async () => !(await tableExists('guarded_counts__g2')), 5_000, 'held generation 2 dropped');
  });

  it('holds it too when built by a process that has not started the engine (the CLI), which lets the projection go', async () => {
    const toy = toyProjection({ name: 'guarded_cli', table: 'guarded_cli_counts', beforeApply: faultyIn(2) });
    const serving = engineFor([toy]);
    await serving.start();
    await serving.waitUntilCaughtUp(10_000);
    await serving.stop();

    const parked = faultyEvents();
    const cli = engineFor([toy]);
    await expect(cli.rebuild('guarded_cli')).rejects.toThrow(RebuildHeldError);
    expect(cli.owned()).toEqual([]);

    // The next owner serves the old generation and leaves the held one as it stands.
    const owner = engineFor([toy]);
    await owner.start();
    await append('account-0');
    await owner.waitUntilCaughtUp(10_000);
    expect(await statusOf(toy)).toMatchObject({ generation: 1, status: 'live', rebuild: { generation: 2, status: 'held', parked: { count: parked } } });
    expect(await readCounts(harness.sql, 'guarded_cli_counts')).toEqual(expected());
  });

  it('swaps in a generation whose parked events the serving one parked too', async () => {
    const toy = toyProjection({ name: 'poisoned', table: 'poisoned_counts', poison: 'Poison' });
    const engine = engineFor([toy]);
    await engine.start();
    await harness.store.append('account-0', [typed('Poison')]);
    await harness.store.append('account-5', [typed('Poison')]);
    await engine.waitUntilCaughtUp(10_000);
    expect((await statusOf(toy)).parked.count).toBe(2);

    await engine.rebuild('poisoned');
    expect(await statusOf(toy)).toMatchObject({ generation: 2, rebuild: null, parked: { count: 2 } });
  });

  it('does not guard a new version against the stale one it replaces, which stopped reading at the deploy', async () => {
    const v1 = toyProjection({ name: 'upgraded', table: 'upgraded_counts', version: 'v1' });
    const first = engineFor([v1]);
    await first.start();
    await first.waitUntilCaughtUp(10_000);
    await first.stop();

    const v2 = toyProjection({ name: 'upgraded', table: 'upgraded_counts', version: 'v2', beforeApply: faultyIn(2) });
    const second = engineFor([v2]);
    await second.start();
    await until(async () => (await statusOf(v2)).generation === 2, 10_000, 'v2 swapped in');
    expect(await statusOf(v2)).toMatchObject({ version: 'v2', servingVersion: 'v2', generation: 2, rebuild: null, parked: { count: faultyEvents() } });
  });

  it('adds the column it records the hold in to a database made before it', async () => {
    await harness.sql.query('ALTER TABLE projection_generations DROP COLUMN swap_held');
    await harness.sql.query('DELETE FROM projection_migrations WHERE version = 2');
    await ensureProjectionSchema(harness.sql);
    const { rows } = await harness.sql.query<{ found: boolean }>(
      `SELECT count(*) = 1 AS found FROM information_schema.columns WHERE table_name = 'projection_generations' AND column_name = 'swap_held'
         AND table_schema = current_schema()`,
    );
    expect(rows[0]!.found).toBe(true);
  });
});
