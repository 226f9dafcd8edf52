import { ApiProperty } from '@nestjs/swagger';
import { TEXT_LIMITS } from '@ahe/events';
import { CommandDto } from '../../accounts/dto/command.dto';
import { CommandResponseDto } from '../../accounts/dto/command-response.dto';
import { TextField } from '../../accounts/dto/fields';

/** POST /v1/escalations/:escalationId/acknowledgement; `{}` when there is nothing to add. */
export class AcknowledgeEscalationDto extends CommandDto {
  @TextField(TEXT_LIMITS.reason, { optional: true, example: 'Calling the customer back today' })
  readonly note?: string;
}

/** POST /v1/escalations/:escalationId/resolution */
export class ResolveEscalationDto extends CommandDto {
  @TextField(TEXT_LIMITS.longText, { example: 'Credit note issued; customer confirmed' })
  readonly resolution!: string;
}

export class EscalationCommandResponseDto extends CommandResponseDto {
  @ApiProperty({ example: 'f3b1c2d4-5e6f-5a7b-8c9d-0e1f2a3b4c5d' })
  readonly escalationId!: string;
}
