import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountCommand } from '@ahe/domain';
import {
  currentCorrelationId,
  deterministicUuid,
  IdempotencyService,
  idempotencyKeyOf,
  IDEMPOTENT_REPLAY_HEADER,
  principalOfRequest,
  requestHash,
  EVENT_STORE,
  type StoredResponse,
} from '@ahe/platform';
import type { EventStore } from '@ahe/event-store';
import { earlierAttemptOf, type StoredAppend } from './earlier-attempt';
import { ExecuteAccountCommand } from './execute-account-command';
import { expectedRevisionOf, revisionHeaders } from './if-match.header';

export interface AccountWrite {
  readonly accountId: string;
  readonly command: AccountCommand;
  readonly occurredAt?: string;
  /** Ids the write creates, answered next to accountId: `{ complaintId }`, `{ invoiceId }`. */
  readonly created?: Readonly<Record<string, string>>;
}

/** Mints the id of a new entity: derived from the Idempotency-Key when there is one, so a retry names the same entity. */
export type NewId = (field: string) => string;

export interface CommandResponse {
  readonly accountId: string;
  readonly revision: number;
  readonly position: number;
  readonly eventIds: readonly string[];
}

/**
 * What every write route shares: Idempotency-Key, If-Match, event metadata, and the 201 body
 * `{ accountId, revision, position, eventIds }` with the ETag of the new revision.
 */
@Injectable()
export class AccountWrites {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async send(request: FastifyRequest, reply: FastifyReply, build: (newId: NewId) => AccountWrite): Promise<CommandResponse> {
    const principal = principalOfRequest(request);
    const key = idempotencyKeyOf(request.headers);
    const expectedRevision = expectedRevisionOf(request.headers);
    const newId: NewId = (field) => (key === undefined ? randomUUID() : deterministicUuid(principal.keyId, key, field));
    const { accountId, command, occurredAt, created } = build(newId);
    const correlationId = currentCorrelationId() ?? request.id;
    // No body is the empty command (StrictValidationPipe): the same request as `{}`.
    const keyed = key === undefined ? undefined : {
      request: { key, identity: principal.keyId, method: request.method, path: request.url, body: request.body ?? {} },
      eventIdOf: (index: number) => deterministicUuid(principal.keyId, key, 'event', String(index)),
    };
    const answerOf = (append: StoredAppend): StoredResponse =>
      ({ status: 201, body: { accountId, ...created, revision: append.revision, position: append.position, eventIds: append.eventIds } });
    const run = async (): Promise<StoredResponse> => answerOf(await this.commands.execute(
      new ExecuteAccountCommand(accountId, command, {
        occurredAt,
        expectedRevision,
        metadata: {
          correlationId, causationId: key ?? correlationId, actor: principal.actor, idempotencyKey: key,
          // Which request the events are for, should its answer be lost with its COMMIT's reply (earlierAttemptOf).
          ...(keyed ? { idempotencyRequest: requestHash(keyed.request) } : {}),
        },
        eventIdOf: keyed?.eventIdOf,
      }),
    ));
    const outcome = keyed === undefined
      ? { ...(await run()), replayed: false }
      : await this.idempotency.execute(keyed.request, run, { recover: () => earlierAttemptOf(this.store, accountId, keyed.eventIdOf, answerOf) });
    const body = outcome.body as CommandResponse;
    void reply.headers({ ...revisionHeaders(body.revision), ...(outcome.replayed ? { [IDEMPOTENT_REPLAY_HEADER]: 'true' } : {}) });
    return body;
  }
}
