import { IsInt, Min, validate } from 'class-validator';
import { memoizeValidationMetadata } from './validation-metadata.memo';

class Quantity {
  @IsInt()
  readonly amount!: number;
}

describe('memoizeValidationMetadata', () => {
  beforeAll(() => memoizeValidationMetadata());

  it('validates as class-validator does, with the rules remembered between calls', async () => {
    const errors = async (value: unknown) => (await validate(Object.assign(new Quantity(), { amount: value }))).map((error) => error.constraints);
    expect(await errors(3)).toEqual([]);
    expect(await errors('3')).toEqual([{ isInt: 'amount must be an integer number' }]);
    expect(await errors(2.5)).toEqual([{ isInt: 'amount must be an integer number' }]);
  });

  it('sees a rule added after the first validation', async () => {
    expect(await validate(Object.assign(new Quantity(), { amount: -1 }))).toEqual([]);
    Min(0)(Quantity.prototype, 'amount');
    const [error] = await validate(Object.assign(new Quantity(), { amount: -1 }));
    expect(error?.constraints).toEqual({ min: 'amount must not be less than 0' });
  });
});
