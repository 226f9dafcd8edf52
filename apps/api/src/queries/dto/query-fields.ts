import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNumber, Max, Min, ValidateIf } from 'class-validator';

/**
 * Query-string numbers. A query value is always text: only a plain decimal becomes a number,
 * so "", " 5", "1e3" or "0x10" stay text and fail the number check, naming the parameter.
 */
const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

export const decimalOrRaw = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value);

export interface QueryNumberRange {
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  readonly default?: number;
  readonly description?: string;
}

/** What every query-number field shares: its OpenAPI entry, and checks only when it is given. */
export const optionalQueryNumber = (range: QueryNumberRange): PropertyDecorator[] => [
  ApiPropertyOptional({
    type: range.integer ? 'integer' : 'number',
    minimum: range.min,
    maximum: range.max,
    default: range.default,
    description: range.description,
  }),
  ValidateIf((_query: object, value: unknown) => value !== undefined),
];

/** The message of a query number's kind check (both field forms word it alike). */
export const queryNumberMessage = (range: QueryNumberRange): string =>
  `$property must be ${range.integer ? 'an integer' : 'a number'} from ${range.min} to ${range.max}`;

export const QueryNumberField = (range: QueryNumberRange) =>
  applyDecorators(
    ...optionalQueryNumber(range),
    Transform(decimalOrRaw),
    range.integer
      ? IsInt({ message: queryNumberMessage(range) })
      : IsNumber({ allowNaN: false, allowInfinity: false }, { message: queryNumberMessage(range) }),
    Min(range.min),
    Max(range.max),
  );

export const MAX_PAGE_SIZE = 1_000;
export const DEFAULT_PAGE_SIZE = 100;
