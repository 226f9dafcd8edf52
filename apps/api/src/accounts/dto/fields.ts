import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsNumber, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateIf } from 'class-validator';
import { ID_PATTERN } from '@ahe/events';

/**
 * Property decorators of the command bodies: validation (class-validator) and documentation
 * (OpenAPI) from one declaration. The limits are those of the event schemas, which the decider
 * checks again; a body that passes here and breaks a schema rule still gets a 400.
 */
type Presence = {
  readonly optional?: boolean;
  /** Optional in the schema, but required or checked by a @ValidateIf of the DTO's own. */
  readonly conditional?: boolean;
  readonly description?: string;
  readonly example?: unknown;
};

/** Absent (undefined) skips the checks; null does not: it is the wrong type, not a missing field. */
const skipWhenAbsent = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);

const documented = (type: object, presence: Presence) =>
  presence.optional
    ? [
        ...(presence.conditional ? [] : [skipWhenAbsent()]),
        ApiPropertyOptional({ ...type, description: presence.description, example: presence.example }),
      ]
    : [ApiProperty({ ...type, description: presence.description, example: presence.example })];

export const IdField = (presence: Presence = {}) =>
  applyDecorators(
    ...documented({ type: String, pattern: ID_PATTERN.source }, presence),
    IsString(),
    Matches(ID_PATTERN, { message: '$property must be an id of 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"' }),
  );

export const TextField = (maxLength: number, presence: Presence & { readonly allowBlank?: boolean } = {}) =>
  applyDecorators(
    ...documented({ type: String, maxLength }, presence),
    IsString(),
    MaxLength(maxLength),
    ...(presence.allowBlank ? [] : [Matches(/\S/, { message: '$property must not be blank' })]),
    WithoutNul(),
  );

/**
 * PostgreSQL refuses U+0000 in text, as a filter's parameter as much as in a stored event. A value
 * that is missing or not a string is IsString's to report.
 */
const WithoutNul = () =>
  ValidateBy(
    { name: 'withoutNul', validator: { validate: (value: unknown) => typeof value !== 'string' || !value.includes('\u0000') } },
    { message: '$property must not contain the NUL character (\\u0000)' },
  );

export const EnumField = (values: readonly string[], presence: Presence = {}) =>
  applyDecorators(
    ...documented({ enum: values }, presence),
    IsIn(values, { message: `$property must be one of ${values.join(', ')}` }),
  );

export const MoneyField = (presence: Presence & { readonly min?: 0 | 1 } = {}) =>
  applyDecorators(
    ...documented({ type: 'integer', minimum: presence.min ?? 1, description: 'Minor units (cents) of the account currency' }, presence),
    IsInt({ message: '$property must be an integer amount in minor units (cents)' }),
    Min(presence.min ?? 1),
    Max(Number.MAX_SAFE_INTEGER),
  );

export const NumberField = (range: { readonly min: number; readonly max: number; readonly integer?: boolean }, presence: Presence = {}) =>
  applyDecorators(
    ...documented({ type: range.integer ? 'integer' : 'number', minimum: range.min, maximum: range.max }, presence),
    range.integer ? IsInt() : IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(range.min),
    Max(range.max),
  );

export const DateField = (presence: Presence = {}) =>
  applyDecorators(
    ...documented({ type: String, format: 'date', example: '2026-01-31' }, presence),
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a calendar date YYYY-MM-DD, e.g. 2026-01-31' }),
    IsISO8601({ strict: true }, { message: '$property must be a valid calendar date YYYY-MM-DD' }),
  );

/** A day as a date, or as an ISO 8601 UTC timestamp of which the day counts (dayOf): bounds of a series. */
export const DayField = (presence: Presence = {}) =>
  applyDecorators(
    ...documented({ type: String, example: '2026-01-31' }, presence),
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z)?$/, {
      message: '$property must be a date YYYY-MM-DD or an ISO 8601 UTC timestamp, e.g. 2026-01-31 or 2026-01-31T00:00:00Z',
    }),
    IsISO8601({ strict: true }, { message: '$property must be a valid date or instant' }),
  );

/** The UTC day of a value DayField accepted. */
export const dayOf = (value: string | undefined): string | undefined => value?.slice(0, 10);

export const TimestampField = (presence: Presence = {}) =>
  applyDecorators(
    ...documented({ type: String, format: 'date-time', example: '2026-01-31T09:30:00Z' }, presence),
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, {
      message: '$property must be an ISO 8601 UTC timestamp, e.g. 2026-01-31T09:30:00Z',
    }),
    IsISO8601({ strict: true }, { message: '$property must be a valid instant' }),
  );
