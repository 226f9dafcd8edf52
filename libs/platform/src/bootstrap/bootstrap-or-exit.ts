import { Logger, type DynamicModule } from '@nestjs/common';
import { describeFailure, isConnectionFailure } from '@ahe/database';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, connectionSettingsOf, loadConfig } from '../config/config.loader';
import type { AppConfig } from '../config/config.schema';
import { createHttpApp } from '../http/create-http-app';
import { enableGracefulShutdown, logExitCode } from './graceful-shutdown';
import { StartUpGuard } from './start-up-guard';

export interface ProcessDefinition {
  /** api, projector, escalations. */
  readonly name: string;
  /** The process's root module; it imports PlatformModule.forRoot({ app: name, config }). */
  readonly rootModule: (config: AppConfig) => DynamicModule;
  /** Refuse the embedded store: its PGlite folder can be opened by one process only. */
  readonly serverModeOnly?: boolean;
  /** Called once the server listens, for start-up notices of the process's own. */
  readonly onListening?: (config: AppConfig, logger: Logger) => void;
}

function failAndExit(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function requireServerStore(config: AppConfig, name: string): void {
  if (config.store.kind === 'embedded') {
    throw new ConfigError([
      {
        variable: 'DATABASE_URL',
        message: `is not set, but the ${name} process runs in server mode only: the embedded store (DATA_DIR) belongs to one process, so run everything in one with \`npm start\`, or set DATABASE_URL`,
      },
    ]);
  }
}

/**
 * main() of every app: validates the environment before Nest boots (a bad variable exits 1 with
 * its name on stderr), starts the HTTP server and arms graceful shutdown; a signal or a failure
 * before it listens closes what had opened (StartUpGuard). Resolves to the listening app; never
 * resolves when start-up fails or is stopped, since the process exits.
 */
export async function bootstrapOrExit(definition: ProcessDefinition, env: NodeJS.ProcessEnv = process.env): Promise<NestFastifyApplication> {
  let config: AppConfig;
  try {
    config = loadConfig(env);
    if (definition.serverModeOnly) requireServerStore(config, definition.name);
  } catch (error) {
    return failAndExit(error instanceof ConfigError ? error.message : `Invalid configuration: ${String(error)}`);
  }

  const logger = new Logger(definition.name);
  let app: NestFastifyApplication | undefined;
  logExitCode();
  const startUp = StartUpGuard.arm(config.shutdownTimeoutMs);
  try {
    app = await createHttpApp(definition.rootModule(config), config, { app: definition.name, level: config.logLevel });
    if (startUp.stopped) return startUp.exiting;
    startUp.handOver();
    enableGracefulShutdown(app, config.shutdownTimeoutMs);
    await app.listen(config.http.port, config.http.host);
    logger.log(`Listening on http://${config.http.host}:${config.http.port}`);
    definition.onListening?.(config, logger);
    return app;
  } catch (error) {
    // Once a signal has stopped start-up, the store closed under it is what failed.
    if (startUp.stopped) return startUp.exiting;
    // What did open (the store) is closed, so that an embedded data folder is left consistent and unlocked.
    return startUp.failAndExit(startFailure(definition.name, error, config), app);
  }
}

/**
 * What start-up failures people can act on say in one line, naming the setting to look at; any
 * other failure is unexpected, and its stack follows.
 */
export function startFailure(name: string, error: unknown, config: AppConfig): string {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  const first = `Failed to start ${name}: ${describeFailure(error)}`;
  if (syscall === 'listen' || code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL') {
    return `${first} (cannot listen on HOST ${config.http.host}, PORT ${config.http.port})`;
  }
  if (isConnectionFailure(error)) {
    return `${first} (a server did not accept the connection: check ${connectionSettingsOf(config)})`;
  }
  // An error that names the setting behind it (a rules file that does not parse) is the operator's to fix, not a bug.
  const { setting } = (error ?? {}) as { setting?: unknown };
  if (typeof setting === 'string') return `${first} (check ${setting})`;
  // The stack's first line repeats the message.
  return error instanceof Error && error.stack ? `${first}\n${error.stack.split('\n').slice(1).join('\n')}` : first;
}
