import { IsDefined, ValidateIf } from 'class-validator';
import { TEXT_LIMITS } from '@ahe/events';
import { CommandDto } from './command.dto';
import { DateField, EnumField, MoneyField, TextField } from './fields';

const won = (dto: RecordRenewalDto) => dto.outcome === 'won';
const lost = (dto: RecordRenewalDto) => dto.outcome === 'lost';

/** POST /v1/accounts/:accountId/renewals: endsOn and annualValue when won, reason when lost. */
export class RecordRenewalDto extends CommandDto {
  @EnumField(['won', 'lost'])
  readonly outcome!: 'won' | 'lost';

  @ValidateIf((dto: RecordRenewalDto) => won(dto) || dto.endsOn !== undefined)
  @IsDefined({ message: 'endsOn is required when outcome is won' })
  @DateField({ optional: true, conditional: true, description: 'won: the new last day of the contract' })
  readonly endsOn?: string;

  @ValidateIf((dto: RecordRenewalDto) => won(dto) || dto.annualValue !== undefined)
  @IsDefined({ message: 'annualValue is required when outcome is won' })
  @MoneyField({ optional: true, conditional: true, min: 0, description: 'won: the new value per year, minor units' })
  readonly annualValue?: number;

  @ValidateIf((dto: RecordRenewalDto) => lost(dto) || dto.reason !== undefined)
  @IsDefined({ message: 'reason is required when outcome is lost' })
  @TextField(TEXT_LIMITS.reason, { optional: true, conditional: true, description: 'lost: why the customer leaves' })
  readonly reason?: string;
}
