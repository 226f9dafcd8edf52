import type { SqlClient } from '@ahe/database';

/** How long a key is remembered (API.md, Conventions; docs/api.md). */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
/** How long a claim (`claimFirst`) holds its key without an answer before it counts as abandoned: its process died. */
export const IDEMPOTENCY_CLAIM_TTL_MINUTES = 15;
/** A claimed key not answered yet: status 0, and for body the token of the attempt that holds it. */
export const CLAIMED = 0;
const OWN_CLAIM = `identity = $1 AND idempotency_key = $2 AND status = ${CLAIMED} AND body = $3`;
/** Whether the row (of `table`, when named) still holds its key: an answer for a day, a claim for minutes. */
const live = (table = '') => `CASE WHEN ${table}status = ${CLAIMED} THEN ${table}created_at > now() - interval '${IDEMPOTENCY_CLAIM_TTL_MINUTES} minutes'
  ELSE ${table}created_at > now() - interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours' END`;
const PURGE_EVERY_MS = 10 * 60_000;

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface KeyRow extends StoredResponse {
  readonly requestHash: string;
}

/** A statement with its parameters, to run in a transaction of the caller's. */
export interface KeyStatement {
  readonly text: string;
  readonly params: readonly unknown[];
}

/** The rows of `idempotency_keys`: one per API key and Idempotency-Key, an answer or a claim. */
export class IdempotencyKeysTable {
  private lastPurge = 0;

  constructor(private readonly sql: SqlClient) {}

  /** The live row of the key, if any: its answer, or a claim (status CLAIMED). */
  async find(identity: string, key: string): Promise<KeyRow | undefined> {
    const { rows } = await this.sql.query<{ request_hash: string; status: number; body: string }>(
      `SELECT request_hash, status, body FROM idempotency_keys WHERE identity = $1 AND idempotency_key = $2 AND ${live()}`,
      [identity, key],
    );
    const row = rows[0];
    return row && { requestHash: row.request_hash, status: row.status, body: row.status === CLAIMED ? row.body : (JSON.parse(row.body) as unknown) };
  }

  /** False when a live answer or claim for the key was stored first; an expired one is replaced. */
  async insert(identity: string, key: string, hash: string, response: StoredResponse): Promise<boolean> {
    const { rows } = await this.sql.query(
      `INSERT INTO idempotency_keys (idempotency_key, identity, request_hash, status, body) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (identity, idempotency_key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, body = EXCLUDED.body, created_at = now()
         WHERE NOT (${live('idempotency_keys.')})
       RETURNING 1`,
      [key, identity, hash, response.status, JSON.stringify(response.body)],
    );
    if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = Date.now();
      // Two ranges of the created_at indexes: answers past their day, claims their process left behind.
      await this.sql.query(`DELETE FROM idempotency_keys WHERE created_at <= now() - interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours'`);
      await this.sql.query(`DELETE FROM idempotency_keys WHERE status = ${CLAIMED} AND created_at <= now() - interval '${IDEMPOTENCY_CLAIM_TTL_MINUTES} minutes'`);
    }
    return rows.length > 0;
  }

  /** Claims the key for the attempt holding `token`; false when it is taken. */
  claim(identity: string, key: string, hash: string, token: string): Promise<boolean> {
    return this.insert(identity, key, hash, { status: CLAIMED, body: token });
  }

  /** Keeps the attempt's claim from lapsing while its work runs. */
  async renew(identity: string, key: string, token: string): Promise<void> {
    await this.sql.query(`UPDATE idempotency_keys SET created_at = now() WHERE ${OWN_CLAIM}`, [identity, key, JSON.stringify(token)]);
  }

  /** The statement that turns the attempt's claim into its answer; a no-op once it is answered. */
  answerStatement(identity: string, key: string, token: string, response: StoredResponse): KeyStatement {
    return {
      text: `UPDATE idempotency_keys SET status = $4, body = $5 WHERE ${OWN_CLAIM}`,
      params: [identity, key, JSON.stringify(token), response.status, JSON.stringify(response.body)],
    };
  }

  async answer(identity: string, key: string, token: string, response: StoredResponse): Promise<void> {
    const { text, params } = this.answerStatement(identity, key, token, response);
    await this.sql.query(text, params);
  }

  /** Drops the attempt's claim unless it was answered; waits for a transaction that holds its row. */
  async release(identity: string, key: string, token: string): Promise<void> {
    await this.sql.query(`DELETE FROM idempotency_keys WHERE ${OWN_CLAIM}`, [identity, key, JSON.stringify(token)]);
  }
}
