import { HttpException, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, MaxLength } from 'class-validator';
import { body, Contact, expectSameAnswer, json, Order, outcomeOf, pipe } from './validation-pipe-harness.contract';

describe('StrictValidationPipe', () => {
  it('keeps the error shape: 400, VALIDATION_FAILED, the field named in message and details', async () => {
    const answer = await outcomeOf(() => pipe.transform(JSON.parse('{"channel":"call","summary":100,"extra":1}'), body(Contact)));
    expect(answer).toEqual({
      status: 400,
      body: {
        message: 'property extra should not exist; summary must not be blank; summary must be shorter than or equal to 10 characters; summary must be a string',
        code: 'VALIDATION_FAILED',
        field: 'extra',
        details: [
          { field: 'extra', messages: ['property extra should not exist'] },
          { field: 'summary', messages: ['summary must not be blank', 'summary must be shorter than or equal to 10 characters', 'summary must be a string'] },
        ],
      },
    });
  });

  it('skips class-transformer and class-validator for a valid flat DTO, and only then', async () => {
    const stock = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      const valid = await pipe.transform({ channel: 'call', summary: 'review' }, body(Contact));
      expect(valid).toBeInstanceOf(Contact);
      expect(stock).not.toHaveBeenCalled();
      await expect(pipe.transform({ channel: 'call', summary: 3 }, body(Contact))).rejects.toBeInstanceOf(HttpException);
      await pipe.transform(JSON.parse('{"ref":"a","lines":[]}'), body(Order));
      expect(stock).toHaveBeenCalledTimes(2);
    } finally {
      stock.mockRestore();
    }
  });

  it('sees rules and class-transformer decorators added after a first validation', async () => {
    class Late {
      @IsString()
      readonly name!: string;
    }
    expect(await expectSameAnswer(json('{"name":"abc"}'), body(Late))).toEqual({ resolved: { name: 'abc' }, type: 'Late' });
    Transform(({ value }: { value: string }) => value.toUpperCase())(Late.prototype, 'name');
    expect(await expectSameAnswer(json('{"name":"abc"}'), body(Late))).toEqual({ resolved: { name: 'ABC' }, type: 'Late' });
    MaxLength(2)(Late.prototype, 'name');
    expect(await expectSameAnswer(json('{"name":"abc"}'), body(Late))).toMatchObject({ status: 400 });
  });
});
