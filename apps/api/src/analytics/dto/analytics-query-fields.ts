import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, ValidateIf } from 'class-validator';
import type { TimeAxis } from '@ahe/read-models';
import { EnumField } from '../../accounts/dto/fields';
import { badQuery } from '../../queries/dto/bad-query';

export const TIME_AXES: readonly TimeAxis[] = ['occurred', 'recorded'];

/** A calendar date (its UTC midnight) or a UTC timestamp: what an analyst types for "as of". */
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z)?$/;

export const AsOfField = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: String, description, example: '2025-06-30T00:00:00Z' }),
    ValidateIf((_query: object, value: unknown) => value !== undefined),
    IsString(),
    Matches(DATE_OR_INSTANT, { message: '$property must be a date YYYY-MM-DD or an ISO 8601 UTC timestamp, e.g. 2025-06-30T00:00:00Z' }),
    IsISO8601({ strict: true }, { message: '$property must be a valid date or instant' }),
  );

export const AxisField = () =>
  EnumField(TIME_AXES, { optional: true, description: 'occurred (business time, back-dated events count) or recorded (store time); default occurred' });

/** The validated asOf as an instant; a 400 naming it when it is after `now`. */
export function pastInstant(asOf: string, now: Date): Date {
  const instant = new Date(asOf);
  if (instant > now) throw badQuery('asOf', `asOf (${asOf}) is in the future: only what has happened can be fitted or scored`);
  return instant;
}
