import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { TEXT_LIMITS } from '@ahe/events';
import { CommandDto } from './command.dto';
import { DateField, IdField, MoneyField, TextField } from './fields';

export class ContractDto {
  @DateField({ description: 'First day of the contract' })
  readonly startsOn!: string;

  @DateField({ description: 'Last day of the contract: the renewal date; after startsOn' })
  readonly endsOn!: string;

  @MoneyField({ min: 0, description: 'Contract value per year, minor units' })
  readonly annualValue!: number;
}

/** POST /v1/accounts */
export class OpenAccountDto extends CommandDto {
  @IdField({ optional: true, description: 'Generated (a UUID) when omitted', example: 'acme' })
  readonly accountId?: string;

  @TextField(TEXT_LIMITS.name, { example: 'Acme Corp' })
  readonly name!: string;

  @TextField(TEXT_LIMITS.label, { example: 'enterprise' })
  readonly segment!: string;

  @IdField({ example: 'mgr-7' })
  readonly managerId!: string;

  @TextField(3, { description: 'ISO 4217 code', example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 currency code of 3 upper-case letters, e.g. EUR' })
  readonly currency!: string;

  @ApiPropertyOptional({ type: ContractDto, description: 'Absent for accounts billed without a contract' })
  @ValidateIf((_dto: object, value: unknown) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => ContractDto)
  readonly contract?: ContractDto;
}
