import { HttpException, type ArgumentMetadata } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { FlatDtoShortcut } from './flat-dto.shortcut';
import { StrictValidationPipe } from './validation.pipe';

/* What the specs of StrictValidationPipe share: DTOs with each kind of rule, and Nest's ValidationPipe's answer to compare with. */

const whenPresent = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);

abstract class Dated {
  @whenPresent()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, { message: '$property must be an ISO 8601 UTC timestamp' })
  @IsISO8601({ strict: true })
  readonly occurredAt?: string;
}

export class Contact extends Dated {
  @IsIn(['call', 'email'], { message: '$property must be one of call, email' })
  readonly channel!: string;

  @IsString()
  @MaxLength(10)
  @Matches(/\S/, { message: '$property must not be blank' })
  readonly summary!: string;

  @whenPresent()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1)
  @Max(1)
  readonly sentiment?: number;

  @IsOptional()
  @IsInt()
  readonly count?: number;

  @Allow()
  readonly note?: unknown;
}

export class Marked {
  @IsDefined()
  readonly marker?: unknown;
}

class Line {
  @IsInt()
  @Min(1)
  readonly amount!: number;
}

export class Order {
  @IsString()
  readonly ref!: string;

  @whenPresent()
  @ValidateNested()
  @Type(() => Line)
  readonly line?: Line;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Line)
  readonly lines!: Line[];

  @whenPresent()
  @IsInt({ each: true })
  readonly tags?: number[];
}

export class Trimmed {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(3)
  readonly name!: string;
}

@ValidatorConstraint({ name: 'isOk', async: true })
class IsOkLater implements ValidatorConstraintInterface {
  async validate(value: unknown): Promise<boolean> {
    return value === 'ok';
  }
}

export class Checked {
  @Validate(IsOkLater)
  readonly code!: string;
}

export class NoRules {
  readonly name?: string;
}

type Outcome = { readonly resolved: unknown; readonly type?: string } | { readonly status: number; readonly body: unknown };

export async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const resolved = await run();
    return { resolved: { ...(resolved as object) }, type: (resolved as object | undefined)?.constructor?.name };
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    return { status: error.getStatus(), body: error.getResponse() };
  }
}

export const pipe = new StrictValidationPipe();

/** The same pipe with the shortcut never sure: every value goes through Nest's ValidationPipe, as before the shortcut. */
async function viaValidationPipe(value: unknown, metadata: ArgumentMetadata): Promise<Outcome> {
  const unsure = jest.spyOn(FlatDtoShortcut.prototype, 'instanceIfValid').mockReturnValue(undefined);
  try {
    return await outcomeOf(() => pipe.transform(value, metadata));
  } finally {
    unsure.mockRestore();
  }
}

export const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

/** Both pipes get a fresh copy: Nest's pipe deletes keys of the value it is given. */
export async function expectSameAnswer(make: () => unknown, metadata: ArgumentMetadata): Promise<Outcome> {
  const expected = await viaValidationPipe(make(), metadata);
  const actual = await outcomeOf(() => pipe.transform(make(), metadata));
  expect(actual).toEqual(expected);
  return actual;
}

export const json = (text: string) => () => JSON.parse(text) as unknown;
