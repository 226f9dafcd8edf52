import type { Principal } from '@ahe/platform';

/**
 * One line of the audit trail: who read what, under which correlation id, and how it ended.
 * The key itself never appears, only its id (the first digits of its sha256).
 */
export interface AuditLine {
  readonly audit: true;
  readonly msg: 'audit read';
  /** Method and route template, e.g. `GET /v1/accounts/:accountId/verify`. */
  readonly route: string;
  readonly accountId: string | null;
  /** The query as sent (asOf, axis, paging), so a replay of the read can be reproduced. */
  readonly query: Readonly<Record<string, unknown>>;
  readonly roles: readonly string[];
  readonly keyId: string;
  readonly correlationId: string;
  readonly remoteAddress: string;
  /** The status sent; for a stream cut short, the status of its headers. */
  readonly status: number;
  /** `complete` once the whole response left; `aborted` when it was cut (client gone, store failed mid-export). */
  readonly outcome: 'complete' | 'aborted';
  readonly durationMs: number;
}

export interface AuditedRead {
  readonly method: string;
  readonly route: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly principal: Principal;
  readonly correlationId: string;
  readonly remoteAddress: string;
}

export interface ReadOutcome {
  readonly status: number;
  readonly finished: boolean;
  readonly durationMs: number;
}

export function auditLine(read: AuditedRead, outcome: ReadOutcome): AuditLine {
  const accountId = read.params.accountId;
  return {
    audit: true,
    msg: 'audit read',
    route: `${read.method} ${read.route}`,
    accountId: typeof accountId === 'string' ? accountId : null,
    query: { ...read.query },
    roles: [...read.principal.roles],
    keyId: read.principal.keyId,
    correlationId: read.correlationId,
    remoteAddress: read.remoteAddress,
    status: outcome.status,
    outcome: outcome.finished ? 'complete' : 'aborted',
    durationMs: Math.round(outcome.durationMs),
  };
}
