import { applyDecorators } from '@nestjs/common';
import { isInt, isNumber, max, min, ValidateBy } from 'class-validator';
import { decimalOrRaw, optionalQueryNumber, queryNumberMessage, type QueryNumberRange } from './query-fields';

/**
 * QueryNumberField without its @Transform: the DTO keeps the query's text, and each check runs
 * on the number that text stands for, under the name and with the message of class-validator's
 * own check (same results, same 400 bodies). A DTO without class-transformer decorators takes the
 * validation pipe's flat-DTO shortcut (libs/platform/src/http/flat-dto.shortcut.ts), which a
 * @Transform rules out: for the list routes that is class-transformer and class-validator per
 * request. The owner turns the text into a number with numberOfQueryText once it is valid.
 */
export const QueryTextNumberField = (range: QueryNumberRange) =>
  applyDecorators(
    ...optionalQueryNumber(range),
    range.integer
      ? onNumber('isInt', isInt, [], queryNumberMessage(range))
      : onNumber('isNumber', (value) => isNumber(value, { allowNaN: false, allowInfinity: false }), [], queryNumberMessage(range)),
    onNumber('min', (value) => min(value, range.min), [range.min], '$property must not be less than $constraint1'),
    onNumber('max', (value) => max(value, range.max), [range.max], '$property must not be greater than $constraint1'),
  );

/** A class-validator check of the query text's number (decimalOrRaw: text that is no plain decimal stays text and fails). */
function onNumber(name: string, check: (value: unknown) => boolean, constraints: readonly number[], message: string): PropertyDecorator {
  return ValidateBy({ name, constraints: [...constraints], validator: { validate: (value: unknown) => check(decimalOrRaw({ value })), defaultMessage: () => message } });
}

/** The number of a text a QueryTextNumberField accepted; undefined stays undefined. */
export const numberOfQueryText = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
