import { startApi, type Backend, type RunningApi } from '../api-harness';

/**
 * The api process as the embedded default runs it (HTTP and projection roles, no escalation
 * workers: these specs open escalations by import). `projections: false` is the api process
 * of server mode, with no projector.
 */
export function startEscalationsApi(backend: Backend, env: Record<string, string> = {}, { projections = true } = {}): Promise<RunningApi> {
  return startApi(backend, env, { roles: projections ? ['http', 'projections'] : ['http'] });
}

export interface ImportedEscalation {
  readonly accountId: string;
  readonly escalationId: string;
  readonly rule: string;
  readonly occurredAt: string;
  readonly reason?: string;
  readonly severity?: string;
  readonly dueAt?: string;
}

/**
 * Escalations cannot be opened by a client command: the process manager appends them. An
 * import can, as a backfill would, through the same admission rules as any event.
 */
export async function importEscalations(api: RunningApi, escalations: readonly ImportedEscalation[], authorization?: string): Promise<void> {
  const lines = escalations.map(({ accountId, escalationId, rule, occurredAt, reason, severity, dueAt }) =>
    JSON.stringify({
      accountId,
      type: 'EscalationOpened',
      occurredAt,
      data: { escalationId, rule, reason: reason ?? `${rule} on ${accountId}`, triggeringEventId: `trigger-${escalationId}`, ...(severity ? { severity } : {}), ...(dueAt ? { dueAt } : {}) },
    }),
  );
  const post = api.http().post('/v1/import').set('Content-Type', 'application/x-ndjson');
  if (authorization !== undefined) post.set('Authorization', authorization);
  const response = await post.send(`${lines.join('\n')}\n`);
  if (response.status !== 200) throw new Error(`import refused: ${response.status} ${JSON.stringify(response.body)}`);
}
