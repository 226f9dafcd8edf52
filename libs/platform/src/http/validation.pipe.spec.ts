import type { ArgumentMetadata } from '@nestjs/common';
import { body, Checked, Contact, expectSameAnswer, json, Marked, NoRules, Order, Trimmed } from './validation-pipe-harness.contract';

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
});
