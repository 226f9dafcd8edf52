/**
 * A model's value could not be computed to a figure worth reporting (the arithmetic would lose
 * its digits, or the series would not converge in its budget). The caller falls back to what it
 * knows for sure and can log the message, which says what went wrong with which numbers.
 */
export class UnreliableEstimateError extends RangeError {
  override readonly name = 'UnreliableEstimateError';
}

/** A number for messages: four significant digits, whatever its magnitude. */
export const figure = (value: number): string => (Number.isFinite(value) ? Number(value.toPrecision(4)).toString() : String(value));
