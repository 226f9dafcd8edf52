import type { LoggerService } from '@nestjs/common';
import { Logger, type PinoLogger } from 'nestjs-pino';
import { pino } from 'pino';
import { rootLoggerOptions, standardOutput, type LoggingOptions } from './logging.module';

/**
 * The lines Nest writes while it builds the application, before the application's own logger
 * exists: its module loading and, when a module fails to start, its exception handler's error.
 * Nest's default would write them as coloured text, and a start that failed would be the one
 * part of a process's log that is not JSON. The same options and the same Nest-to-pino mapping
 * (nestjs-pino's Logger, over a plain pino logger) as the application's logger.
 */
export function startUpLogger(options: LoggingOptions): LoggerService {
  const root = pino(rootLoggerOptions(options), options.stream ?? standardOutput());
  // nestjs-pino's Logger calls only the level methods (info, error, …) of what it is given, which a pino logger has.
  return new Logger(root as unknown as PinoLogger, {});
}
