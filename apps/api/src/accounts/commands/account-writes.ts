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
  type StoredResponse,
} from '@ahe/platform';
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
  ) {}

  async send(request: FastifyRequest, reply: FastifyReply, build: (newId: NewId) => AccountWrite): Promise<CommandResponse> {
    const principal = principalOfRequest(request);
    const key = idempotencyKeyOf(request.headers);
    const expectedRevision = expectedRevisionOf(request.headers);
    const newId: NewId = (field) => (key === undefined ? randomUUID() : deterministicUuid(principal.keyId, key, field));
    const { accountId, command, occurredAt, created } = build(newId);
    const correlationId = currentCorrelationId() ?? request.id;
    const run = async (): Promise<StoredResponse> => {
      const result = await this.commands.execute(
        new ExecuteAccountCommand(accountId, command, {
          occurredAt,
          expectedRevision,
          metadata: { correlationId, causationId: key ?? correlationId, actor: principal.actor, idempotencyKey: key },
          eventIdOf: key === undefined ? undefined : (index) => deterministicUuid(principal.keyId, key, 'event', String(index)),
        }),
      );
      const body = { accountId, ...created, revision: result.revision, position: result.position, eventIds: result.eventIds };
      return { status: 201, body };
    };
    const outcome =
      key === undefined
        ? { ...(await run()), replayed: false }
        // No body is the empty command (StrictValidationPipe): the same request as `{}`.
        : await this.idempotency.execute({ key, identity: principal.keyId, method: request.method, path: request.url, body: request.body ?? {} }, run);
    const body = outcome.body as CommandResponse;
    void reply.headers({ ...revisionHeaders(body.revision), ...(outcome.replayed ? { [IDEMPOTENT_REPLAY_HEADER]: 'true' } : {}) });
    return body;
  }
}
