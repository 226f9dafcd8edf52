import { HttpException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
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

const whenPresent = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);

abstract class Dated {
  @whenPresent()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, { message: '$property must be an ISO 8601 UTC timestamp' })
  @IsISO8601({ strict: true })
  readonly occurredAt?: string;
}

class Contact extends Dated {
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

class Marked {
  @IsDefined()
  readonly marker?: unknown;
}

class Line {
  @IsInt()
  @Min(1)
  readonly amount!: number;
}

class Order {
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

class Trimmed {
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

class Checked {
  @Validate(IsOkLater)
  readonly code!: string;
}

class NoRules {
  readonly name?: string;
}

type Outcome = { readonly resolved: unknown; readonly type?: string } | { readonly status: number; readonly body: unknown };

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const resolved = await run();
    return { resolved: { ...(resolved as object) }, type: (resolved as object | undefined)?.constructor?.name };
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    return { status: error.getStatus(), body: error.getResponse() };
  }
}

const pipe = new StrictValidationPipe();

/** The same pipe with the shortcut never sure: every value goes through Nest's ValidationPipe, as before the shortcut. */
async function viaValidationPipe(value: unknown, metadata: ArgumentMetadata): Promise<Outcome> {
  const unsure = jest.spyOn(FlatDtoShortcut.prototype, 'instanceIfValid').mockReturnValue(undefined);
  try {
    return await outcomeOf(() => pipe.transform(value, metadata));
  } finally {
    unsure.mockRestore();
  }
}

const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

/** Both pipes get a fresh copy: Nest's pipe deletes keys of the value it is given. */
async function expectSameAnswer(make: () => unknown, metadata: ArgumentMetadata): Promise<Outcome> {
  const expected = await viaValidationPipe(make(), metadata);
  const actual = await outcomeOf(() => pipe.transform(make(), metadata));
  expect(actual).toEqual(expected);
  return actual;
}

const json = (text: string) => () => JSON.parse(text) as unknown;

describe('StrictValidationPipe', () => {
  const cases: readonly [string, ArgumentMetadata['metatype'], () => unknown][] = [
    ['valid flat body', Contact, json('{"channel":"call","summary":"review","sentiment":0.5,"occurredAt":"2026-01-31T09:30:00Z"}')],
    ['valid flat body, optional fields absent', Contact, json('{"channel":"email","summary":"x"}')],
    ['@Allow field with any value', Contact, json('{"channel":"email","summary":"x","note":{"a":[1]}}')],
    ['unknown field', Contact, json('{"channel":"call","summary":"x","extra":1}')],
    ['field named like a prototype member', Contact, json('{"channel":"call","summary":"x","toString":"y"}')],
    ['"constructor" and "prototype" keys', Contact, json('{"channel":"call","summary":"x","constructor":1,"prototype":2}')],
    ['wrong types, no coercion', Contact, json('{"channel":"call","summary":100,"sentiment":"0.5","count":"3"}')],
    ['null is not absent', Contact, json('{"channel":null,"summary":"x","sentiment":null}')],
    ['out of range, blank and too long', Contact, json('{"channel":"fax","summary":"           ","sentiment":2,"count":1.5}')],
    ['inherited rule', Contact, json('{"channel":"call","summary":"x","occurredAt":"2026-02-30T09:30:00Z"}')],
    ['nested object where a scalar is expected', Contact, json('{"channel":{"a":1},"summary":["x"]}')],
    ['empty body', Contact, json('{}')],
    ['body not an object', Contact, json('[{"channel":"call"}]')],
    ['body a string', Contact, json('"call"')],
    ['@IsDefined missing', Marked, json('{}')],
    ['@IsDefined present', Marked, json('{"marker":0}')],
    ['nested DTO valid', Order, json('{"ref":"a","line":{"amount":2},"lines":[{"amount":1}],"tags":[1,2]}')],
    ['nested DTO invalid', Order, json('{"ref":"a","line":{"amount":0},"lines":[{"amount":1},{"amount":"2"},{}],"tags":[1,"2"]}')],
    ['nested DTO not an object', Order, json('{"ref":"a","line":3,"lines":{"amount":1}}')],
    ['unknown field in a nested DTO', Order, json('{"ref":"a","lines":[{"amount":1,"extra":true}]}')],
    ['@Transform applies', Trimmed, json('{"name":"  abc  "}')],
    ['@Transform then a failing rule', Trimmed, json('{"name":" abcd "}')],
    ['async rule passes', Checked, json('{"code":"ok"}')],
    ['async rule fails', Checked, json('{"code":"no"}')],
    ['class without rules', NoRules, json('{"name":"x"}')],
  ];

  it.each(cases)('%s: the same answer as Nest’s ValidationPipe', async (_name, metatype, make) => {
    await expectSameAnswer(make, body(metatype));
  });

  it('answers a query object without a prototype as Nest’s ValidationPipe does', async () => {
    const bare = (entries: Record<string, unknown>) => () => Object.assign(Object.create(null) as object, entries);
    const query: ArgumentMetadata = { type: 'query', metatype: Contact };
    expect(await expectSameAnswer(bare({ channel: 'call', summary: 'x' }), query)).toEqual({ resolved: { channel: 'call', summary: 'x' }, type: 'Contact' });
    await expectSameAnswer(bare({ channel: 'call', summary: ['x', 'y'] }), query);
    await expectSameAnswer(bare({ channel: 'call' }), query);
  });

  it('answers route parameters on an empty null-prototype object (find-my-way) as Nest’s ValidationPipe does', async () => {
    const emptyPrototype = Object.create(null) as object;
    const params = (entries: Record<string, unknown>) => () => Object.assign(Object.create(emptyPrototype) as object, entries);
    const param: ArgumentMetadata = { type: 'param', metatype: Contact };
    expect(await expectSameAnswer(params({ channel: 'email', summary: 'x' }), param)).toEqual({ resolved: { channel: 'email', summary: 'x' }, type: 'Contact' });
    await expectSameAnswer(params({ channel: 'call', summary: '' }), param);
    const inherited = Object.assign(Object.create({ summary: 'inherited' }) as object, { channel: 'call' });
    await expectSameAnswer(() => Object.assign(Object.create(inherited) as object, { channel: 'call' }), param);
  });

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

  it('answers random bodies of a flat DTO exactly as Nest’s ValidationPipe', async () => {
    const keys = ['channel', 'summary', 'sentiment', 'count', 'occurredAt', 'note', 'extra', 'toString', '__proto__', 'constructor'];
    const values = ['"call"', '"email"', '""', '" "', '"abcdefghijk"', '"2026-01-31T09:30:00Z"', '0', '1', '-2', '0.5', '1e400', 'true', 'null', '[]', '["call"]', '{}', '{"a":1}'];
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let n = 0; n < 400; n++) {
      const fields = keys.filter(() => random(3) > 0).map((key) => `"${key}":${values[random(values.length)]}`);
      await expectSameAnswer(json(`{${fields.join(',')}}`), body(Contact));
    }
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
