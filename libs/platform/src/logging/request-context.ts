import type { AsyncLocalStorage } from 'node:async_hooks';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';

/**
 * What the request being served carries through its awaits: nestjs-pino's per-request logger
 * context (its PinoLogger logs through `logger`) and the request's correlation id.
 */
export interface RequestContext {
  logger: Logger;
  responseLogger?: Logger;
  readonly correlationId: string;
}

/**
 * nestjs-pino keeps the logger of the request being served in an AsyncLocalStorage of its own,
 * which its package does not export (version pinned in package.json). Failing here, at start,
 * is what a change of that file would do.
 */
function nestjsPinoStorage(): AsyncLocalStorage<RequestContext> {
  const { storage } = require(join(dirname(require.resolve('nestjs-pino')), 'storage.js')) as { storage?: AsyncLocalStorage<RequestContext> };
  if (typeof storage?.run !== 'function') throw new Error('nestjs-pino no longer has dist/cjs/storage.js: the request logging must be rewired');
  return storage;
}

/**
 * The one AsyncLocalStorage a request enters, nestjs-pino's, which the correlation id shares:
 * on Node 20 every enabled storage adds work to every promise created (a propagation step per
 * storage), and a second storage for the id alone cost about 1 % of a command's CPU.
 */
export const requestContext = nestjsPinoStorage();
