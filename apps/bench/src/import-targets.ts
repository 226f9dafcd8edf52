import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SqlClient } from '@ahe/database';
import { SqlEventStore } from '@ahe/event-store';
import { createHttpApp, loadConfig } from '@ahe/platform';
import { AppModule } from '../../api/src/app.module';
import { dropQueuePrefix, freshQueuePrefix } from './bench-redis';
import { COPY_COLUMNS, type ImportRun } from './import-data';
import { openTarget, targetEnv, type StoreTarget } from './store-target';


export interface ImportApi {
  readonly url: string;
  readonly adminKey: string;
  close(): Promise<void>;
}

const ADMIN_KEY = 'bench-admin-key-0123456789';

/** The real API (AppModule, role http: no projector, no workers) on the target's store. */
export async function startImportApi(target: StoreTarget, redisUrl: string): Promise<ImportApi> {
  const prefix = freshQueuePrefix('import');
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    ...targetEnv(target),
    REDIS_URL: redisUrl,
    ESCALATION_QUEUE_PREFIX: prefix,
    API_KEYS: `admin:${ADMIN_KEY}`,
    RATE_LIMIT_PER_MINUTE: String(1e9),
  });
  const app: NestFastifyApplication = await createHttpApp(AppModule.forRoot({ config, roles: ['http'] }), config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    adminKey: ADMIN_KEY,
    async close() {
      await app.close();
      await dropQueuePrefix(redisUrl, prefix);
    },
  };
}

/**
 * The CLI's store created and migrated before its first timed run, as the API's and the COPY's
 * are: every run then times an import into a store that exists, not the first run also the
 * creation of the database (PGlite's initdb, about 1 s more on the embedded store).
 */
export async function prepareCliStore(target: StoreTarget): Promise<void> {
  await createStore(target);
}

/** Opens the target, creates and migrates the event store there, runs `then` on it, and closes it. */
async function createStore(target: StoreTarget, then: (sql: SqlClient) => Promise<unknown> = async () => undefined): Promise<void> {
  const sql: SqlClient = await openTarget(target, 1);
  try {
    await SqlEventStore.open(sql);
    await then(sql);
  } finally {
    await sql.close();
  }
}

/** The reference table: the store's `events` with its defaults, constraints and indexes, empty. */
export interface CopyTable {
  copy(text: string): Promise<void>;
  close(): Promise<void>;
}

const TABLE = 'bench_copy';

export async function prepareCopyTable(target: StoreTarget): Promise<CopyTable> {
  await createStore(target, (sql) => sql.exec(`CREATE TABLE ${TABLE} (LIKE events INCLUDING ALL)`));
  return target.kind === 'postgres' ? postgresCopy(target.databaseUrl, target.schema) : embeddedCopy(target.dataDir);
}

async function postgresCopy(databaseUrl: string, schema: string): Promise<CopyTable> {
  const client = new Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
  await client.connect();
  return {
    async copy(text) {
      const stream = client.query(copyFrom(`COPY ${TABLE} (${COPY_COLUMNS}) FROM STDIN`));
      const done = once(stream, 'finish');
      stream.end(text);
      await done;
    },
    close: () => client.end(),
  };
}

/** PGlite reads COPY input from a blob; the folder layout is PgliteClient's (`<dataDir>/pglite`). */
async function embeddedCopy(dataDir: string): Promise<CopyTable> {
  const db = await PGlite.create(join(dataDir, 'pglite'));
  return {
    async copy(text) {
      await db.query(`COPY ${TABLE} (${COPY_COLUMNS}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
    },
    close: () => db.close(),
  };
}

/** Times only the COPY: the rows were sealed and formatted beforehand. */
export async function copyRows(table: CopyTable, run: ImportRun): Promise<{ units: number; ms: number }> {
  const started = performance.now();
  await table.copy(run.copyText);
  return { units: run.events, ms: performance.now() - started };
}
