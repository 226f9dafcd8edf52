import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ESCALATION_PROCESS_MANAGER_DEFINITION } from '@ahe/escalations';
import { createHttpApp, loadConfig } from '@ahe/platform';
import type { ProjectionDefinition } from '@ahe/projections';
import { EscalationsModule } from '../../../apps/escalations/src/escalations.module';
import { eventually } from '../../support/eventually';
import { dropQueuePrefix, freshQueuePrefix, TEST_REDIS_URL } from '../../support/redis-test-prefix';
import { ERROR_SHAPE, freshAccountId, openAccountBody, startApi, TEST_DATABASE_URL, type RunningApi } from '../api-harness';

jest.setTimeout(120_000);

interface ListedProjection {
  readonly name: string;
  readonly version: string;
  readonly servingVersion: string | null;
  readonly generation: number | null;
  readonly status: string;
  readonly position: number | null;
  readonly lag: { readonly events: number };
  readonly owner: string | null;
  readonly rebuild: unknown;
}

/**
 * Server mode: the api process (HTTP role only) beside an apps/escalations process on the same
 * schema, which alone has the escalation process manager's code.
 */
describe('the escalation process manager in the api\'s projection admin, in server mode', () => {
  const schema = `api_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const queuePrefix = freshQueuePrefix('pm-admin');
  let api: RunningApi;
  let escalations: NestFastifyApplication | undefined;
  let processManager: ProjectionDefinition;

  const escalationWatch = async (): Promise<ListedProjection | undefined> => {
    const { body } = await api.http().get('/v1/projections').expect(200);
    return (body.items as ListedProjection[]).find((item) => item.name === 'escalation_watch');
  };
  /** The position the command answers: a read of the log stops short of it while an older transaction is open (ADR 0002). */
  const openAccountAt = async (accountId: string): Promise<number> =>
    (await api.http().post('/v1/accounts').send(openAccountBody(accountId)).expect(201)).body.position as number;

  beforeAll(async () => {
    api = await startApi('postgres', { DATABASE_SCHEMA: schema });
  });
  afterAll(async () => {
    await escalations?.close();
    await api?.close();
    await dropQueuePrefix(queuePrefix);
  });

  it('neither lists nor rebuilds escalation_watch before a process has run it', async () => {
    expect(await escalationWatch()).toBeUndefined();
    const refused = await api.http().post('/v1/projections/escalation_watch/rebuild').expect(404);
    expect(refused.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 404, code: 'PROJECTION_NOT_FOUND' });
  });

  it('lists escalation_watch with the status its owner keeps, once apps/escalations has run it', async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent', DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL: TEST_REDIS_URL, ESCALATION_QUEUE_PREFIX: queuePrefix,
    });
    escalations = await createHttpApp(EscalationsModule.forRoot(config), config);
    await escalations.listen(0, '127.0.0.1');
    processManager = escalations.get<ProjectionDefinition>(ESCALATION_PROCESS_MANAGER_DEFINITION);
    await openAccountAt(freshAccountId('pm-admin'));
    const head = await openAccountAt(freshAccountId('pm-admin'));

    const listed = await eventually('escalation_watch caught up in GET /v1/projections', escalationWatch, (item) => item?.position === head);
    expect(listed).toMatchObject({
      name: 'escalation_watch', version: processManager.version, servingVersion: processManager.version, generation: expect.any(Number),
      status: 'live', lag: { events: 0 }, owner: expect.any(String), rebuild: null,
    });
  });

  it('accepts a rebuild of escalation_watch, which apps/escalations builds and swaps in', async () => {
    const before = (await escalationWatch())!;
    const accepted = await api.http().post('/v1/projections/escalation_watch/rebuild').expect(202);
    expect(accepted.body).toMatchObject({ name: 'escalation_watch', status: 'requested', requestId: expect.any(Number) });

    const swapped = await eventually('a new generation of escalation_watch swapped in', escalationWatch, (item) => item!.generation! > before.generation! && item!.rebuild === null);
    expect(swapped).toMatchObject({ version: processManager.version, status: 'live', position: before.position, lag: { events: 0 } });
  });

  it('still answers 404 PROJECTION_NOT_FOUND for a name no process runs, naming the projections it knows', async () => {
    const unknown = await api.http().post('/v1/projections/no_such_projection/rebuild').expect(404);
    expect(unknown.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 404, code: 'PROJECTION_NOT_FOUND', field: 'name' });
    expect(unknown.body.details.known).toEqual(expect.arrayContaining(['account_health', 'escalation_watch']));
  });
});

describe('projections other processes run, in the api\'s projection admin, by their stored generations', () => {
  const schema = `api_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let api: RunningApi;
  let db: Client;

  const generation = (name: string, number: number, version: string, status: string) =>
    db.query(
      `INSERT INTO projection_generations (name, generation, version, status, tables, owner, heartbeat_at, started_at, updated_at)
       VALUES ($1, $2, $3, $4, '{}', 'another-process', now(), now(), now())`,
      [name, number, version, status],
    );

  beforeAll(async () => {
    api = await startApi('postgres', { DATABASE_SCHEMA: schema });
    db = new Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await db.connect();
    await generation('escalation_watch', 1, 'v-old', 'stale');
    await generation('escalation_watch', 2, 'v-new', 'building');
    await generation('removed_from_code', 3, 'r3', 'serving');
    await generation('gone_elsewhere', 1, 'g1', 'retired');
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('reports the version its owner last set up, stale where the owner froze the serving generation', async () => {
    const { body } = await api.http().get('/v1/projections').expect(200);
    const byName = new Map((body.items as ListedProjection[]).map((item) => [item.name, item]));
    expect(byName.get('escalation_watch')).toMatchObject({ version: 'v-new', servingVersion: 'v-old', generation: 1, status: 'stale', rebuild: { generation: 2, version: 'v-new' } });
  });

  it('lists no other name the tables hold, serving or not: code since removed would never answer its rebuild', async () => {
    const { body } = await api.http().get('/v1/projections').expect(200);
    const names = (body.items as ListedProjection[]).map((item) => item.name);
    expect(names).not.toContain('removed_from_code');
    expect(names).not.toContain('gone_elsewhere');
    await api.http().post('/v1/projections/removed_from_code/rebuild').expect(404);
    await api.http().post('/v1/projections/gone_elsewhere/rebuild').expect(404);
  });
});
