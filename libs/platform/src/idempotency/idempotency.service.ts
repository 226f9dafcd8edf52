import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictException, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { DatabaseTimeoutError, type SqlClient } from '@ahe/database';
import { DuplicateEventIdError } from '@ahe/event-store';
import { SQL_CLIENT } from '../database/sql-client.token';
import { MetricsService } from '../metrics/metrics.service';
import { CLAIMED, IdempotencyKeysTable, type StoredResponse } from './idempotency-keys.table';
import { requestHash, type IdempotencyOptions, type IdempotentOutcome, type IdempotentRequest, type KeyClaim } from './idempotent-request';
import { migrateIdempotencyKeys } from './idempotency.schema';
import { KeyedMutex } from './keyed-mutex';

export { IDEMPOTENCY_CLAIM_TTL_MINUTES, IDEMPOTENCY_KEY_TTL_HOURS, type StoredResponse } from './idempotency-keys.table';
export { requestHash, type EarlierAttempt, type IdempotencyOptions, type IdempotentOutcome, type IdempotentRequest, type KeyClaim } from './idempotent-request';

/** A claim is renewed this often while its work runs, so only a dead process's claim lapses. */
const CLAIM_RENEW_MS = 60_000;
const RACE_WAIT_MS = 5_000;

/**
 * Same key and same request → the first response, replayed; same key, other request → 409.
 * Successful responses only are stored, so a request that failed may be retried with its key.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit {
  private readonly mutex = new KeyedMutex();
  private readonly keys: IdempotencyKeysTable;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.keys = new IdempotencyKeysTable(sql);
    this.outcomes = metrics.counter<'outcome'>({
      name: 'ahe_idempotency_requests_total',
      help: 'Writes sent with an Idempotency-Key, by outcome: executed, replayed, conflict',
      labelNames: ['outcome'],
    });
  }

  onModuleInit(): Promise<void> {
    return migrateIdempotencyKeys(this.sql);
  }

  execute(request: IdempotentRequest, work: (claim?: KeyClaim) => Promise<StoredResponse>, options: IdempotencyOptions = {}): Promise<IdempotentOutcome> {
    const hash = requestHash(request);
    return this.mutex.run(`${request.identity}\n${request.key}`, async () => {
      const earlier = await this.find(request, hash);
      if (earlier) return this.replay(earlier);
      if (options.claimFirst) return this.executeClaimed(request, hash, work);
      let response: StoredResponse;
      try {
        response = await work();
      } catch (error) {
        return this.afterFailure(request, hash, error, options.recover);
      }
      if (!(await this.keys.insert(request.identity, request.key, hash, response))) {
        // Another process stored its response for this key first: that one is the answer.
        const stored = await this.find(request, hash);
        if (stored) return this.replay(stored);
      }
      this.outcomes.inc({ outcome: 'executed' });
      return { ...response, replayed: false };
    });
  }

  /** The answer of an earlier attempt with the key, when the failure was its doing; else the failure. */
  private async afterFailure(request: IdempotentRequest, hash: string, error: unknown, recover: IdempotencyOptions['recover']): Promise<IdempotentOutcome> {
    // Refused before reaching the database: no attempt of this request can be behind it.
    const attempt = recover && !neverReachedTheDatabase(error) ? await recover().catch(() => undefined) : undefined;
    if (attempt) {
      if (attempt.requestHash !== hash) throw this.reused(request);
      const stored = await this.keys.insert(request.identity, request.key, hash, attempt.response).catch(() => true);
      // Another process stored the answer first: its answer is the same request's, and the one kept.
      return this.replay(stored ? attempt.response : ((await this.find(request, hash).catch(() => undefined)) ?? attempt.response));
    }
    if (error instanceof DuplicateEventIdError) {
      // Another process appended this key's events first: answer with its response.
      const winner = await this.waitForStored(request, hash);
      if (winner) return this.replay(winner);
    }
    throw error;
  }

  private async executeClaimed(request: IdempotentRequest, hash: string, work: (claim: KeyClaim) => Promise<StoredResponse>): Promise<IdempotentOutcome> {
    const { identity, key } = request;
    // The token makes the claim this attempt's own: only it may renew, answer or release it.
    const token = randomUUID();
    if (!(await this.keys.claim(identity, key, hash, token))) {
      // Another process claimed or answered the key since find(): its row decides.
      const stored = await this.find(request, hash);
      if (stored) return this.replay(stored);
      throw this.inProgress(request);
    }
    const renewal = setInterval(() => void this.keys.renew(identity, key, token).catch(() => undefined), CLAIM_RENEW_MS);
    renewal.unref();
    let response: StoredResponse;
    let answeredByWork = false;
    const answer = (stored: StoredResponse) => {
      answeredByWork = true;
      return this.keys.answerStatement(identity, key, token, stored);
    };
    try {
      response = await work({ answer });
    } catch (error) {
      const answered = await this.releaseClaim(request, hash, token);
      if (!answered) throw error;
      this.outcomes.inc({ outcome: 'executed' });
      return { ...answered, replayed: false };
    } finally {
      clearInterval(renewal);
    }
    // The work's own transaction answered the claim, when it took the statement (the SQL stores).
    if (!answeredByWork) await this.keys.answer(identity, key, token, response);
    this.outcomes.inc({ outcome: 'executed' });
    return { ...response, replayed: false };
  }

  /**
   * After the work failed: a request that failed may be retried with its key, so its claim is
   * released; unless the work's transaction committed the answer with it and only then failed
   * (its COMMIT's reply lost): that answer stands, and is returned.
   */
  private async releaseClaim(request: IdempotentRequest, hash: string, token: string): Promise<StoredResponse | undefined> {
    try {
      await this.keys.release(request.identity, request.key, token);
      return await this.find(request, hash);
    } catch {
      // The database cannot say: the claim lapses on its own, and the work's error is the one to report.
      return undefined;
    }
  }

  private inProgress(request: IdempotentRequest): ConflictException {
    this.outcomes.inc({ outcome: 'conflict' });
    return new ConflictException({
      message: `A request with Idempotency-Key ${JSON.stringify(request.key)} is still running; send it again once it has answered`,
      code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      field: 'Idempotency-Key',
    });
  }

  private reused(request: IdempotentRequest): ConflictException {
    this.outcomes.inc({ outcome: 'conflict' });
    return new ConflictException({
      message: `Idempotency-Key ${JSON.stringify(request.key)} was used before with a different request; use a new key for a new request`,
      code: 'IDEMPOTENCY_KEY_REUSED',
      field: 'Idempotency-Key',
    });
  }

  private replay(stored: StoredResponse): IdempotentOutcome {
    this.outcomes.inc({ outcome: 'replayed' });
    return { ...stored, replayed: true };
  }

  private async find(request: IdempotentRequest, hash: string): Promise<StoredResponse | undefined> {
    const row = await this.keys.find(request.identity, request.key);
    if (!row) return undefined;
    if (row.requestHash !== hash) throw this.reused(request);
    if (row.status === CLAIMED) throw this.inProgress(request);
    return { status: row.status, body: row.body };
  }

  private async waitForStored(request: IdempotentRequest, hash: string): Promise<StoredResponse | undefined> {
    for (const deadline = Date.now() + RACE_WAIT_MS; Date.now() < deadline; await sleep(25)) {
      const stored = await this.find(request, hash);
      if (stored) return stored;
    }
    return undefined;
  }
}

/** No connection was had (refused, timed out, none free in the pool): the work sent nothing. */
function neverReachedTheDatabase(error: unknown): boolean {
  return error instanceof DatabaseTimeoutError || (error as { code?: unknown } | null)?.code === 'ECONNREFUSED';
}
