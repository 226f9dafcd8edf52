import { requestRebuild, UnknownProjectionError, type RebuildProgress } from '../index';
import { BACKENDS, readCounts, toyProjection, until } from '../testing/toy-projection.contract';
import { rebuildHarness } from './rebuild-harness.contract';

describe.each(BACKENDS)('blue/green rebuilds on $label', (backend) => {
  const harness = rebuildHarness(backend);
  const { engineFor, append, expected, statusOf } = harness;
  const tableExists = async (table: string) =>
    (await harness.sql.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0]!.found;
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open };
  };

  it('builds a new generation while the old one serves, swaps the view, and drops the old tables', async () => {
    const hold = gate();
    const toy = toyProjection({ name: 'blue', table: 'blue_counts', beforeApply: (_events, physical) => (physical.endsWith('__g2') ? hold.opened : Promise.resolve()) });
    const engine = engineFor([toy]);
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    const before = await readCounts(harness.sql, 'blue_counts');
    expect(before).toEqual(expected());

    await expect(requestRebuild(harness.sql, 'nope', { definitions: [toy] })).rejects.toThrow(UnknownProjectionError);
    await requestRebuild(harness.sql, 'blue', { definitions: [toy], reason: 'spec' });
    if (backend.label === 'PostgreSQL') {
      // The embedded database is held by the gated batch; PostgreSQL can show the building state.
      await until(async () => (await statusOf(toy)).rebuild !== null, 5_000, 'rebuild started');
      const building = await statusOf(toy);
      expect(building).toMatchObject({ generation: 1, status: 'live', rebuild: { generation: 2, version: 'v1', status: 'building' } });
      expect(await readCounts(harness.sql, 'blue_counts')).toEqual(before);
      expect(await tableExists('blue_counts__g2')).toBe(true);
    }
    hold.open();
    await until(async () => (await statusOf(toy)).generation === 2, 10_000, 'generation 2 serving');
    expect(await readCounts(harness.sql, 'blue_counts')).toEqual(before);
    await until(async () => !(await tableExists('blue_counts__g1')), 5_000, 'generation 1 dropped');
    const after = await statusOf(toy);
    expect(after).toMatchObject({ generation: 2, servingVersion: 'v1', rebuild: null, eventsProcessed: 60 });
    await append('account-new');
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(harness.sql, 'blue_counts')).toEqual(expected());
  });

  it('freezes a generation of another version, serves it while the new version builds, then swaps', async () => {
    const v1 = toyProjection({ name: 'versioned', table: 'versioned_counts', version: 'v1' });
    const first = engineFor([v1]);
    await first.start();
    await first.waitUntilCaughtUp(10_000);
    await first.stop();
    const served = await readCounts(harness.sql, 'versioned_counts');

    const hold = gate();
    const refreshed: string[] = [];
    const v2 = {
      ...toyProjection({ name: 'versioned', table: 'versioned_counts', version: 'v2', beforeApply: () => hold.opened }),
      refresh: { intervalMs: 20, run: async (context: { table(name: string): string }) => (refreshed.push(context.table('versioned_counts')), { changed: 0 }) },
    };
    const second = engineFor([v2]);
    try {
      await second.start();
      if (backend.label === 'PostgreSQL') {
        await append('account-0');
        const stale = await statusOf(v2);
        expect(stale).toMatchObject({ status: 'stale', version: 'v2', servingVersion: 'v1', generation: 1, rebuild: { generation: 2, version: 'v2' } });
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Frozen: the old code's tables get nothing from the new code, and keep answering.
        expect(await readCounts(harness.sql, 'versioned_counts')).toEqual(served);
        expect(refreshed).toEqual([]);
      }
    } finally {
      hold.open();
    }
    await second.waitUntilCaughtUp(10_000);
    expect(await statusOf(v2)).toMatchObject({ status: 'live', version: 'v2', servingVersion: 'v2', generation: 2 });
    expect(await readCounts(harness.sql, 'versioned_counts')).toEqual(expected());
    await until(() => refreshed.length > 0, 5_000, 'refresh on the new generation');
    expect(new Set(refreshed)).toEqual(new Set(['versioned_counts__g2']));
  });

  it('rebuilds from a process that has not started the engine (the CLI), reporting progress', async () => {
    const toy = toyProjection({ name: 'cli', table: 'cli_counts', batchSize: 7 });
    const serving = engineFor([toy]);
    await serving.start();
    await serving.waitUntilCaughtUp(10_000);
    await serving.stop();
    const cli = engineFor([toy]);
    const progress: RebuildProgress[] = [];
    await cli.rebuild('cli', { onProgress: (report) => progress.push(report) });
    expect(await readCounts(harness.sql, 'cli_counts')).toEqual(expected());
    expect((await statusOf(toy)).generation).toBe(2);
    // The first look after taking the request comes while the log is still held for the
    // rebuilds requested with it (rebuildGatherMs), before the new generation has read anything.
    const logLength = expected().reduce((sum, row) => sum + row.events, 0);
    expect(progress[0]).toMatchObject({ generation: 2, eventsProcessed: 0, eventsTotal: logLength });
    expect(cli.owned()).toEqual([]);
    await expect(cli.rebuild('unknown')).rejects.toThrow(UnknownProjectionError);
  });

  it('stops a rebuild from such a process when its signal is aborted: the projection let go, the serving generation serving as before', async () => {
    const toy = toyProjection({ name: 'halted', table: 'halted_counts', batchSize: 7 });
    const serving = engineFor([toy]);
    await serving.start();
    await serving.waitUntilCaughtUp(10_000);
    await serving.stop();
    const cli = engineFor([toy]);
    const abort = new AbortController();
    const reason = new Error('stopped by the test');
    await expect(cli.rebuild('halted', { signal: abort.signal, onProgress: () => abort.abort(reason) })).rejects.toBe(reason);
    expect(cli.owned()).toEqual([]);
    expect(await statusOf(toy)).toMatchObject({ generation: 1, servingVersion: 'v1' });
    expect(await readCounts(harness.sql, 'halted_counts')).toEqual(expected());
    await cli.rebuild('halted');
    expect((await statusOf(toy)).generation).toBe(2);
  });
});
