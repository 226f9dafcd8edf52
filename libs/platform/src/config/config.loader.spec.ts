import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.loader';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => `${problem.variable} ${problem.message}`);
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('defaults to the embedded store on port 3000 with no keys', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ port: 3000, host: '0.0.0.0', bodyLimitBytes: 1024 * 1024 });
    expect(config.store).toEqual({ kind: 'embedded', dataDir: expect.stringMatching(/\/data$/), thread: 'worker' });
    expect(config).toMatchObject({ apiKeys: [], rateLimitPerMinute: 6000, logLevel: 'info', shutdownTimeoutMs: 10_000, demo: false });
    expect(config.redisUrl).toBeUndefined();
  });

  it('keeps :memory: as is and treats empty variables as unset', () => {
    expect(loadConfig({ DATA_DIR: ':memory:', PORT: '', LOG_LEVEL: ' ' })).toMatchObject({
      store: { kind: 'embedded', dataDir: ':memory:' },
      http: { port: 3000 },
      logLevel: 'info',
    });
  });

  it('runs the embedded database on the main thread when EMBEDDED_DB_THREAD=main, and refuses other values', () => {
    expect(loadConfig({ EMBEDDED_DB_THREAD: 'main' }).store).toMatchObject({ kind: 'embedded', thread: 'main' });
    expect(problemsOf({ EMBEDDED_DB_THREAD: 'own' })).toEqual(['EMBEDDED_DB_THREAD must be one of worker, main (got "own")']);
  });

  it("looks for a table to vacuum on the embedded store every EMBEDDED_VACUUM_INTERVAL_MS (autovacuum's minute by default), and refuses less than a second", () => {
    expect(loadConfig({}).embeddedVacuumIntervalMs).toBe(60_000);
    expect(loadConfig({ EMBEDDED_VACUUM_INTERVAL_MS: '5000' }).embeddedVacuumIntervalMs).toBe(5_000);
    expect(problemsOf({ EMBEDDED_VACUUM_INTERVAL_MS: '10' })).toEqual([
      'EMBEDDED_VACUUM_INTERVAL_MS must be an integer between 1000 and 86400000 (milliseconds) (got "10")',
    ]);
  });

  it('uses PostgreSQL when DATABASE_URL is set, with PG_POOL_SIZE and DATABASE_CONNECT_TIMEOUT_MS', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://ahe:secret@db:5432/ahe', PG_POOL_SIZE: '4', DATABASE_CONNECT_TIMEOUT_MS: '2500', DATA_DIR: '/ignored' });
    expect(config.store).toEqual({ kind: 'postgres', connectionString: 'postgres://ahe:secret@db:5432/ahe', poolSize: 4, connectTimeoutMs: 2_500 });
  });

  it('puts the tables in DATABASE_SCHEMA when given, and refuses a name that is not a plain identifier', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db/ahe', DATABASE_SCHEMA: 'tenant_a' });
    expect(config.store).toEqual({ kind: 'postgres', connectionString: 'postgres://db/ahe', poolSize: 10, connectTimeoutMs: 10_000, schema: 'tenant_a' });
    expect(problemsOf({ DATABASE_URL: 'postgres://db/ahe', DATABASE_SCHEMA: 'a"; DROP' })).toEqual([
      expect.stringMatching(/^DATABASE_SCHEMA must be a lower-case identifier/),
    ]);
  });

  it('parses every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      BODY_LIMIT_BYTES: '2048',
      REDIS_URL: 'rediss://cache:6380',
      API_KEYS: 'writer:w-key, analyst:a-key,ADMIN:root:key',
      RATE_LIMIT_PER_MINUTE: '60',
      LOG_LEVEL: 'DEBUG',
      SHUTDOWN_TIMEOUT_MS: '2500',
      DEMO: '1',
      LTV_REFIT_INTERVAL_MS: '1500',
    });
    expect(config.projections.ltvRefitIntervalMs).toBe(1500);
    expect(config).toMatchObject({
      http: { port: 8080, host: '127.0.0.1', bodyLimitBytes: 2048 },
      redisUrl: 'rediss://cache:6380',
      rateLimitPerMinute: 60,
      logLevel: 'debug',
      shutdownTimeoutMs: 2500,
      demo: true,
    });
    expect(config.apiKeys).toEqual([
      { role: 'writer', key: 'w-key' },
      { role: 'analyst', key: 'a-key' },
      { role: 'admin', key: 'root:key' },
    ]);
  });

  it.each([
    ['PORT', 'abc', 'PORT must be an integer between 1 and 65535 (got "abc")'],
    ['PORT', '70000', 'PORT must be an integer between 1 and 65535 (got "70000")'],
    ['PORT', '3.5', 'PORT must be an integer'],
    ['BODY_LIMIT_BYTES', '1mb', 'BODY_LIMIT_BYTES must be an integer between 1024 and'],
    ['DATABASE_URL', 'mysql://u:p@h/db', 'DATABASE_URL must be a connection string starting with postgres:// or postgresql://'],
    ['PG_POOL_SIZE', '0', 'PG_POOL_SIZE must be an integer between 1 and 1000 (got "0")'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '0', 'DATABASE_CONNECT_TIMEOUT_MS must be an integer between 100 and 600000 (milliseconds) (got "0")'],
    ['EVENTSTORE_CONNECTION_STRING', 'http://es:2113', 'EVENTSTORE_CONNECTION_STRING must be a connection string starting with esdb:// or esdb+discover://'],
    ['REDIS_URL', 'localhost:6379', 'REDIS_URL must be a connection string starting with redis:// or rediss://'],
    ['REDIS_URL', 'redis://redis:99999', 'REDIS_URL is not a valid URL: check the port (1-65535)'],
    ['REDIS_URL', 'redis://:s3cret@cache:6379/main', 'REDIS_URL must name the database by its number after the host, as in redis://host:6379/0'],
    ['API_KEYS', 'reader:k1', 'API_KEYS entry 1 has unknown role "reader"'],
    ['RATE_LIMIT_PER_MINUTE', '-5', 'RATE_LIMIT_PER_MINUTE must be an integer of at least 1 (got "-5")'],
    ['IMPORT_BODY_LIMIT_BYTES', 'abc', 'IMPORT_BODY_LIMIT_BYTES must be an integer between 1024 and'],
    ['DEMO_ACCOUNTS', '0', 'DEMO_ACCOUNTS must be an integer between 1 and 100000 (got "0")'],
    ['DEMO_YEARS', '21', 'DEMO_YEARS must be an integer between 1 and 20 (got "21")'],
    ['DEMO_SEED', '-1', 'DEMO_SEED must be an integer between 0 and'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")'],
    ['SHUTDOWN_TIMEOUT_MS', 'soon', 'SHUTDOWN_TIMEOUT_MS must be an integer between 100 and 600000 (milliseconds) (got "soon")'],
    ['DEMO', 'yes', 'DEMO must be one of 0, 1, true, false (got "yes")'],
    ['LTV_REFIT_INTERVAL_MS', '50', 'LTV_REFIT_INTERVAL_MS must be an integer between 100 and 86400000 (milliseconds) (got "50")'],
  ])('names %s when it is %j', (variable, value, expected) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('accepts the Redis URLs ioredis reads, and never shows a refused one', () => {
    for (const url of ['redis://127.0.0.1:6379', 'redis://cache', 'rediss://user:p%40ss@cache:6380/2', 'redis://cache:6379/']) {
      expect(loadConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    }
    expect(problemsOf({ REDIS_URL: 'redis://:s3cret@cache:6379/main' }).join()).not.toContain('s3cret');
  });

  it('reports every bad variable at once, in one message', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', DEMO: 'maybe' });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error?.problems.map((problem) => problem.variable)).toEqual(['PORT', 'LOG_LEVEL', 'DEMO']);
    expect(error?.message).toMatch(/^Invalid configuration: PORT must be an integer between 1 and 65535 \(got "abc"\); LOG_LEVEL .*; DEMO /);
  });

  it('names each bad API_KEYS entry by position and role, never printing a key', () => {
    const problems = problemsOf({ API_KEYS: 'writer:ok-key,analyst,auditor:,robot:hunter2,writer:ok-key,admin:has space' });
    expect(problems).toEqual([
      'API_KEYS entry 2 must be role:key (no ":" found)',
      'API_KEYS entry 3 (auditor) has an empty key or one containing whitespace',
      expect.stringContaining('API_KEYS entry 4 has unknown role "robot" (expected one of writer, analyst, auditor, admin)'),
      'API_KEYS entry 5 (writer) repeats an earlier entry',
      'API_KEYS entry 6 (admin) has an empty key or one containing whitespace',
    ]);
    expect(problems.join(' ')).not.toMatch(/hunter2|ok-key|has space/);
  });

  it('never echoes a connection string, which may hold a password', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'mysql://user:p4ssw0rd@db/app' });
    expect(problem).not.toContain('p4ssw0rd');
  });

  it('refuses at start a DATABASE_URL node-postgres could not parse, such as an unescaped # in the password', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'postgres://ahe:p4ss#w0rd@db:5432/ahe' });
    expect(problem).toMatch(/^DATABASE_URL is not a valid URL: percent-encode reserved characters/);
    expect(problem).not.toContain('p4ss');
    expect(loadConfig({ DATABASE_URL: 'postgres://ahe:p4ss%23w0rd@db:5432/ahe' }).store).toMatchObject({ kind: 'postgres' });
    // What node-postgres reads and a strict URL parser would not: a password over a Unix socket.
    expect(loadConfig({ DATABASE_URL: 'postgres://ahe:secret@/ahe?host=/var/run/postgresql' }).store).toMatchObject({ kind: 'postgres' });
  });

  it('refuses at start a rules file that is missing or a folder, naming the variable, and resolves a readable one', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ahe-config-'));
    try {
      expect(problemsOf({ SCORING_RULES_FILE: join(folder, 'nope.json') })).toEqual([`SCORING_RULES_FILE must name a readable file ("${join(folder, 'nope.json')}": no such file)`]);
      expect(problemsOf({ ESCALATION_RULES_FILE: folder })).toEqual([`ESCALATION_RULES_FILE must name a readable file ("${folder}": a folder)`]);
      const file = join(folder, 'rules.json');
      writeFileSync(file, '{}');
      expect(loadConfig({ SCORING_RULES_FILE: file, ESCALATION_RULES_FILE: file })).toMatchObject({
        projections: { scoringRulesFile: file }, escalations: { rulesFile: file },
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('takes EVENTSTORE_CONNECTION_STRING for events, with DATABASE_URL for the rest', () => {
    const config = loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb+discover://es1:2113,es2:2113?tls=false', DATABASE_URL: 'postgres://db/ahe' });
    expect(config.eventStoreDb).toBe('esdb+discover://es1:2113,es2:2113?tls=false');
    expect(config.store).toMatchObject({ kind: 'postgres', connectionString: 'postgres://db/ahe' });
    expect(loadConfig({}).eventStoreDb).toBeUndefined();
  });

  it('refuses EVENTSTORE_CONNECTION_STRING without DATABASE_URL', () => {
    const [problem] = problemsOf({ EVENTSTORE_CONNECTION_STRING: 'esdb://es:2113?tls=false' });
    expect(problem).toMatch(/^EVENTSTORE_CONNECTION_STRING is set without DATABASE_URL/);
  });
});
