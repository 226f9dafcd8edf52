import { hash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictException, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import canonicalize from 'canonicalize';
import type { Counter } from 'prom-client';
import type { SqlClient } from '@ahe/database';
import { DuplicateEventIdError } from '@ahe/event-store';
import { SQL_CLIENT } from '../database/sql-client.token';
import { MetricsService } from '../metrics/metrics.service';
import { migrateIdempotencyKeys } from './idempotency.schema';
import { KeyedMutex } from './keyed-mutex';

export interface IdempotentRequest {
  readonly key: string;
  /** Whose key it is: the API key's id. Two clients may use the same Idempotency-Key. */
  readonly identity: string;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface IdempotentOutcome extends StoredResponse {
  /** True when the response is the one stored for an earlier request with the same key. */
  readonly replayed: boolean;
}

/** How long a key is remembered (API.md, Conventions; docs/api.md). */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
/** How long a claim (`claimFirst`) holds its key without an answer before it counts as abandoned: its process died. */
export const IDEMPOTENCY_CLAIM_TTL_MINUTES = 15;
/** A claimed key not answered yet: status 0, and for body the token of the attempt that holds it. */
const CLAIMED = 0;
/** A claim is renewed this often while its work runs, so only a dead process's claim lapses. */
const CLAIM_RENEW_MS = 60_000;
const OWN_CLAIM = `identity = $1 AND idempotency_key = $2 AND status = ${CLAIMED} AND body = $3`;
/** Whether the row (of `table`, when named) still holds its key: an answer for a day, a claim for minutes. */
const live = (table = '') => `CASE WHEN ${table}status = ${CLAIMED} THEN ${table}created_at > now() - interval '${IDEMPOTENCY_CLAIM_TTL_MINUTES} minutes'
  ELSE ${table}created_at > now() - interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours' END`;
const RACE_WAIT_MS = 5_000;
const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Same key and same request → the first response, replayed; same key, other request → 409.
 * Successful responses only are stored, so a request that failed may be retried with its key.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit {
  private readonly mutex = new KeyedMutex();
  private lastPurge = 0;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.outcomes = metrics.counter<'outcome'>({
      name: 'ahe_idempotency_requests_total',
      help: 'Writes sent with an Idempotency-Key, by outcome: executed, replayed, conflict',
      labelNames: ['outcome'],
    });
  }

  onModuleInit(): Promise<void> {
    return migrateIdempotencyKeys(this.sql);
  }

  /**
   * `claimFirst` stores the key before `work` runs, so that the same request sent to another
   * process meanwhile gets a 409 (IDEMPOTENCY_KEY_IN_PROGRESS) instead of running again: for
   * work whose retries the store cannot recognise by event ids (an import's lines have none).
   */
  execute(request: IdempotentRequest, work: () => Promise<StoredResponse>, { claimFirst = false } = {}): Promise<IdempotentOutcome> {
    const hash = requestHash(request);
    return this.mutex.run(`${request.identity}\n${request.key}`, async () => {
      const earlier = await this.find(request, hash);
      if (earlier) return this.replay(earlier);
      if (claimFirst) return this.executeClaimed(request, hash, work);
      let response: StoredResponse;
      try {
        response = await work();
      } catch (error) {
        // Another process appended this key's events first: answer with its response.
        if (!(error instanceof DuplicateEventIdError)) throw error;
        const winner = await this.waitForStored(request, hash);
        if (!winner) throw error;
        return this.replay(winner);
      }
      if (!(await this.store(request, hash, response))) {
        // Another process stored its response for this key first: that one is the answer.
        const stored = await this.find(request, hash);
        if (stored) return this.replay(stored);
      }
      this.outcomes.inc({ outcome: 'executed' });
      return { ...response, replayed: false };
    });
  }

  private async executeClaimed(request: IdempotentRequest, hash: string, work: () => Promise<StoredResponse>): Promise<IdempotentOutcome> {
    // The token makes the claim this attempt's own: only it may renew, answer or release it.
    const token = randomUUID();
    if (!(await this.store(request, hash, { status: CLAIMED, body: token }))) {
      // Another process claimed or answered the key since find(): its row decides.
      const stored = await this.find(request, hash);
      if (stored) return this.replay(stored);
      throw this.inProgress(request);
    }
    const claim = [request.identity, request.key, JSON.stringify(token)];
    const renewal = setInterval(() => void this.sql.query(`UPDATE idempotency_keys SET created_at = now() WHERE ${OWN_CLAIM}`, claim).catch(() => undefined), CLAIM_RENEW_MS);
    renewal.unref();
    let response: StoredResponse;
    try {
      response = await work();
    } catch (error) {
      // A request that failed may be retried with its key; the work's error is the one to report.
      await this.sql.query(`DELETE FROM idempotency_keys WHERE ${OWN_CLAIM}`, claim).catch(() => undefined);
      throw error;
    } finally {
      clearInterval(renewal);
    }
    await this.sql.query(`UPDATE idempotency_keys SET status = $4, body = $5 WHERE ${OWN_CLAIM}`, [...claim, response.status, JSON.stringify(response.body)]);
    this.outcomes.inc({ outcome: 'executed' });
    return { ...response, replayed: false };
  }

  private inProgress(request: IdempotentRequest): ConflictException {
    this.outcomes.inc({ outcome: 'conflict' });
    return new ConflictException({
      message: `A request with Idempotency-Key ${JSON.stringify(request.key)} is still running; send it again once it has answered`,
      code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      field: 'Idempotency-Key',
    });
  }

  private replay(stored: StoredResponse): IdempotentOutcome {
    this.outcomes.inc({ outcome: 'replayed' });
    return { ...stored, replayed: true };
  }

  private async find(request: IdempotentRequest, hash: string): Promise<StoredResponse | undefined> {
    const { rows } = await this.sql.query<{ request_hash: string; status: number; body: string }>(
      `SELECT request_hash, status, body FROM idempotency_keys WHERE identity = $1 AND idempotency_key = $2 AND ${live()}`,
      [request.identity, request.key],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.request_hash === hash && row.status === CLAIMED) throw this.inProgress(request);
    if (row.request_hash !== hash) {
      this.outcomes.inc({ outcome: 'conflict' });
      throw new ConflictException({
        message: `Idempotency-Key ${JSON.stringify(request.key)} was used before with a different request; use a new key for a new request`,
        code: 'IDEMPOTENCY_KEY_REUSED',
        field: 'Idempotency-Key',
      });
    }
    return { status: row.status, body: JSON.parse(row.body) as unknown };
  }

  private async waitForStored(request: IdempotentRequest, hash: string): Promise<StoredResponse | undefined> {
    for (const deadline = Date.now() + RACE_WAIT_MS; Date.now() < deadline; await sleep(25)) {
      const stored = await this.find(request, hash);
      if (stored) return stored;
    }
    return undefined;
  }

  /** False when a live response or claim for the key was stored first; an expired one is replaced. */
  private async store(request: IdempotentRequest, hash: string, response: StoredResponse): Promise<boolean> {
    const { rows } = await this.sql.query(
      `INSERT INTO idempotency_keys (idempotency_key, identity, request_hash, status, body) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (identity, idempotency_key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, body = EXCLUDED.body, created_at = now()
         WHERE NOT (${live('idempotency_keys.')})
       RETURNING 1`,
      [request.key, request.identity, hash, response.status, JSON.stringify(response.body)],
    );
    if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = Date.now();
      // Two ranges of the created_at indexes: answers past their day, claims their process left behind.
      await this.sql.query(`DELETE FROM idempotency_keys WHERE created_at <= now() - interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours'`);
      await this.sql.query(`DELETE FROM idempotency_keys WHERE status = ${CLAIMED} AND created_at <= now() - interval '${IDEMPOTENCY_CLAIM_TTL_MINUTES} minutes'`);
    }
    return rows.length > 0;
  }
}

/** sha256 of method, path and the body in canonical JSON: key order and spacing do not matter. */
export function requestHash(request: Pick<IdempotentRequest, 'method' | 'path' | 'body'>): string {
  const body = request.body === undefined ? '' : (canonicalize(request.body) ?? '');
  return hash('sha256', `${request.method.toUpperCase()} ${request.path}\n${body}`, 'hex');
}
