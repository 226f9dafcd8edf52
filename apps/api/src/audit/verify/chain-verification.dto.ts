import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** GET /v1/accounts/:accountId/verify: the walk of the account's hash chain. */
export class ChainVerificationDto {
  @ApiProperty({ description: 'True when every event matches its hash and links to the one before it' })
  readonly ok!: boolean;

  @ApiProperty({ type: 'integer', description: 'Events checked (up to and including the first broken one)' })
  readonly checked!: number;

  @ApiPropertyOptional({ type: 'integer', description: 'The first broken revision; absent when ok' })
  readonly brokenAt?: number;

  @ApiPropertyOptional({ description: 'Why that revision breaks the chain; absent when ok' })
  readonly reason?: string;
}
