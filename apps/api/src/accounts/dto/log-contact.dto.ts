import { CONTACT_CHANNELS, CONTACT_DIRECTIONS, TEXT_LIMITS, type ContactChannel, type ContactDirection } from '@ahe/events';
import { CommandDto } from './command.dto';
import { EnumField, NumberField, TextField } from './fields';

/** POST /v1/accounts/:accountId/contacts */
export class LogContactDto extends CommandDto {
  @EnumField(CONTACT_CHANNELS)
  readonly channel!: ContactChannel;

  @EnumField(CONTACT_DIRECTIONS, { description: 'inbound: the customer reached out' })
  readonly direction!: ContactDirection;

  @TextField(TEXT_LIMITS.longText, { example: 'Quarterly review call' })
  readonly summary!: string;

  @NumberField({ min: -1, max: 1 }, { optional: true, description: 'Tone from -1 (hostile) to 1 (delighted)' })
  readonly sentiment?: number;
}
