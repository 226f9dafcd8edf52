import { Inject, Injectable, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { SqlClient } from '@ahe/database';
import type { EventStore } from '@ahe/event-store';
import { createHttpApp, EVENT_STORE, loadConfig, PlatformModule, SQL_CLIENT } from '@ahe/platform';
import { ProjectionEngine } from '../engine/projection-engine';
import type { ProjectionDefinition } from '../projection.definition';
import { contact, readCounts, toyProjection, until } from '../testing/toy-projection.contract';
import { ProjectionCatalogModule, ProjectionWorkersModule, PROJECTION_DEFINITIONS } from './index';

/** Stands for the API's routes: what they can inject from the catalog. */
@Injectable()
class CatalogReader {
  constructor(@Inject(PROJECTION_DEFINITIONS) readonly definitions: readonly ProjectionDefinition[]) {}
}
@Module({ providers: [CatalogReader] })
class RoutesModule {}

describe('ProjectionWorkersModule in the all-in-one process (embedded)', () => {
  const logs: Array<{ msg?: string; level?: string }> = [];
  const logStream = { write: (line: string) => void logs.push(JSON.parse(line)) };
  let app: NestFastifyApplication;
  let url: string;
  let failing = false;
  const outage = Object.assign(new Error('could not serialize access'), { code: '40001' });
  const toy = toyProjection({ name: 'nest_toy', table: 'nest_toy_counts', afterApply: async () => void (failing && (() => { throw outage; })()) });

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'info', PROJECTION_LOCK_RETRY_MS: '100', PROJECTION_READY_MAX_LAG_SECONDS: '1' });
    app = await createHttpApp(
      {
        module: class ProjectorUnderTest {},
        imports: [
          PlatformModule.forRoot({ app: 'test', config, logStream }),
          ProjectionWorkersModule.forRoot({ definitions: (loaded) => [{ ...toy, batchSize: loaded.projections.batchSize }] }),
          ProjectionCatalogModule.forRoot({ definitions: () => [toy] }),
          RoutesModule,
        ],
      },
      config,
    );
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app?.close());

  it('starts the engine after boot, applies appends, and reports them in /metrics', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    await store.append('account-1', [contact(), contact()]);
    const engine = app.get(ProjectionEngine);
    await until(() => engine.owned().includes('nest_toy'), 10_000, 'engine started');
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(app.get<SqlClient>(SQL_CLIENT), 'nest_toy_counts')).toEqual([{ stream_id: 'account-1', events: 2, last_revision: 1 }]);
    const metrics = (await request(url).get('/metrics').expect(200)).text;
    expect(metrics).toContain('ahe_projection_events_total{projection="nest_toy"} 2');
    expect(metrics).toMatch(/ahe_projection_position\{projection="nest_toy",generation="1"\} \d+/);
    expect(metrics).toContain('ahe_projection_batch_duration_seconds_count{projection="nest_toy"} 1');
    await until(async () => /ahe_projection_lag_events\{projection="nest_toy"\} 0/.test((await request(url).get('/metrics')).text), 5_000, 'lag sampled');
    expect(app.get(CatalogReader).definitions.map((definition) => definition.name)).toEqual(['nest_toy']);
  });

  it('is not ready while a projection it runs lags further than PROJECTION_READY_MAX_LAG_SECONDS', async () => {
    const ready = await request(url).get('/health/ready').expect(200);
    expect(ready.body.info.projections).toMatchObject({ status: 'up', owned: ['nest_toy'] });
    failing = true;
    await app.get<EventStore>(EVENT_STORE).append('account-2', [contact()]);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const lagging = await request(url).get('/health/ready').expect(503);
    expect(lagging.body.message).toMatch(/projections is down: behind the log by more than 1 s: nest_toy/);
    failing = false;
    await until(async () => (await request(url).get('/health/ready')).status === 200, 10_000, 'ready again');
  });

  it('stops the engine before the store and the database close', async () => {
    const from = logs.length;
    await app.close();
    const closing = logs.slice(from);
    expect(closing.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
    const order = closing.map((line) => line.msg ?? '').filter((msg) => /Projection engine stopped|Event store closed|Database closed/.test(msg));
    expect(order).toEqual(['Projection engine stopped', 'Event store closed', 'Database closed']);
  });
});
