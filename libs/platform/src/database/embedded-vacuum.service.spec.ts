import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { SqlClient } from '@ahe/database';
import { createHttpApp, loadConfig, MetricsService, PlatformModule, SQL_CLIENT } from '../index';
import { EmbeddedVacuumService } from './embedded-vacuum.service';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface LogLine {
  level?: string;
  msg?: string;
  table?: string;
  reason?: string;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startApp(env: Record<string, string>, logs: LogLine[]): Promise<{ app: NestFastifyApplication; url: string }> {
  const config = loadConfig({ LOG_LEVEL: 'info', ...env });
  const logStream = { write: (line: string) => void logs.push(JSON.parse(line)) };
  const app = await createHttpApp({ module: class VacuumingProcess {}, imports: [PlatformModule.forRoot({ app: 'test', config, logStream })] }, config);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('EmbeddedVacuumService', () => {
  it('vacuums the embedded store in the background, logs each table it maintains, and reports to /metrics', async () => {
    const logs: LogLine[] = [];
    const { app, url } = await startApp({ DATA_DIR: ':memory:', EMBEDDED_VACUUM_INTERVAL_MS: '1000' }, logs);
    try {
      const sql = app.get<SqlClient>(SQL_CLIENT);
      // One script, so that no step can come between the rows and their updates.
      await sql.exec(`CREATE TABLE churned (id int PRIMARY KEY, n int NOT NULL DEFAULT 0);
        INSERT INTO churned (id) SELECT generate_series(1, 200);
        UPDATE churned SET n = n + 1; UPDATE churned SET n = n + 1; UPDATE churned SET n = n + 1;`);

      const vacuumedLine = () => logs.find((line) => line.table === 'public.churned' && line.reason === 'dead_rows');
      await until(() => vacuumedLine() !== undefined, 'the vacuum of churned logged');
      expect(vacuumedLine()).toMatchObject({
        level: 'info',
        msg: expect.stringMatching(/^Embedded store: VACUUM public\.churned \(dead_rows\) took \d+ ms$/),
      });
      const { rows } = await sql.query<{ n_dead_tup: number }>("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'churned'");
      expect(rows[0]!.n_dead_tup).toBe(0);
      const metrics = (await request(url).get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/^ahe_embedded_vacuums_total\{reason="dead_rows"\} [1-9]\d*$/m);
      expect(metrics).toMatch(/^ahe_embedded_vacuum_seconds_count\{reason="dead_rows"\} [1-9]\d*$/m);
      expect(metrics).toMatch(/^ahe_embedded_oldest_xid_age [1-9]\d*$/m);
    } finally {
      await app.close();
    }
    expect(logs.filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
  });

  it('runs nothing on PostgreSQL, whose own autovacuum does this', async () => {
    const schema = `vacuum_service_${process.pid}`;
    const { app, url } = await startApp({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, EMBEDDED_VACUUM_INTERVAL_MS: '1000' }, []);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await request(url).get('/metrics').expect(200)).text).not.toContain('ahe_embedded_');
    } finally {
      await app.get<SqlClient>(SQL_CLIENT).query(`DROP SCHEMA ${schema} CASCADE`);
      await app.close();
    }
  });

  it('warns once as the oldest transaction id passes a billion, and again only after it has come back under', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const service = new EmbeddedVacuumService({ kind: 'postgres' } as SqlClient, loadConfig({}), new MetricsService());
      const stepped = (oldestXidAge: number) => (service as unknown as { report(outcome: { oldestXidAge: number }): void }).report({ oldestXidAge });
      [900_000_000, 1_000_000_001, 1_100_000_000, 400_000, 1_200_000_000].forEach(stepped);
      expect(warn.mock.calls.map(([line]) => (line as { oldestXidAge: number }).oldestXidAge)).toEqual([1_000_000_001, 1_200_000_000]);
    } finally {
      warn.mockRestore();
    }
  });
});
