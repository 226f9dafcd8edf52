import { TEXT_LIMITS } from '@ahe/events';
import { CommandDto } from './command.dto';
import { DateField, EnumField, MoneyField, TextField } from './fields';

/**
 * POST /v1/accounts/:accountId/renewals: endsOn and annualValue go with won, reason with lost,
 * each optional (the decider's defaults); the event's schema refuses one with the other outcome.
 */
export class RecordRenewalDto extends CommandDto {
  @EnumField(['won', 'lost'])
  readonly outcome!: 'won' | 'lost';

  @DateField({ optional: true, description: "won: the new last day of the contract; default a year after the current one's" })
  readonly endsOn?: string;

  @MoneyField({ optional: true, min: 0, description: "won: the new value per year, minor units; default the current contract's" })
  readonly annualValue?: number;

  @TextField(TEXT_LIMITS.reason, { optional: true, description: 'lost: why the customer leaves; default "No reason given"' })
  readonly reason?: string;
}
