import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The answer to every command (API.md, Conventions). */
export class CommandResponseDto {
  @ApiProperty({ example: 'acme' })
  readonly accountId!: string;

  @ApiProperty({ description: "The account stream's revision after the write; send it as If-Match to build on it", example: 3 })
  readonly revision!: number;

  @ApiProperty({ description: 'Global log position of the last event written', example: 1042 })
  readonly position!: number;

  @ApiProperty({ type: [String], format: 'uuid' })
  readonly eventIds!: string[];

  @ApiPropertyOptional({ description: 'Set by POST …/complaints' })
  readonly complaintId?: string;

  @ApiPropertyOptional({ description: 'Set by POST …/invoices' })
  readonly invoiceId?: string;
}
