import { CHURN_RISK_FACTORS } from './churn-risk.factors';
import { healthPageJson, jsIdentical, mayBeWrittenOtherwise } from './health-item.sql';

// The items against both databases: account-health.queries.contract.ts. Here, what JavaScript does with them.
describe('healthPageJson', () => {
  const item = '{"accountId":"acc-1","churnRisk":72,"satisfaction":{"trend":-1.25}}';

  it('wraps the items as JSON.stringify wraps a page, with or without a next cursor', () => {
    for (const cursor of [null, 'eyJzIjoiLWNodXJuUmlzayJ9']) {
      expect(healthPageJson([item, item], cursor)).toBe(JSON.stringify({ items: [JSON.parse(item), JSON.parse(item)], nextCursor: cursor }));
      expect(healthPageJson([], cursor)).toBe(JSON.stringify({ items: [], nextCursor: cursor }));
    }
  });

  it('leaves an item as the database wrote it unless a number in it may be written otherwise by JavaScript', () => {
    expect(jsIdentical(item)).toBe(item);
    const rewritten = [
      ['{"trend":1e-05}', '{"trend":0.00001}'],
      ['{"trend":1.5e+15}', '{"trend":1500000000000000}'],
      ['{"value":0.0000001}', '{"value":1e-7}'],
      ['{"total":9007199254740993}', '{"total":9007199254740992}'],
    ];
    for (const [database, javascript] of rewritten) expect(jsIdentical(database!)).toBe(javascript);
    // A string that only looks like such a number is rewritten too, to the same text.
    expect(jsIdentical('{"name":"Route 1e-5 \\"x\\""}')).toBe('{"name":"Route 1e-5 \\"x\\""}');
  });

  it('finds what the one regex it replaced found: a digit before e+ or e-, 0.00000, or 16 digits in a row', () => {
    const definition = /\de[+-]|\d{16}|0\.00000/;
    const edges = [
      '1234567890123456', 'x1234567890123456', '1234567890123456x', '123456789012345', 'a123456789012345b1',
      '123456789012345x1234567890123456', '12345678.12345678', '0.000001', '0.00001', '1e+5', 'e-5', '"12345678901234567890"',
    ];
    for (const text of edges) expect([text, mayBeWrittenOtherwise(text)]).toEqual([text, definition.test(text)]);
    // Random strings, seven characters in ten a digit: runs of every length, and their ends, are common.
    // Park and Miller's generator, exact in doubles (seed × 48,271 stays under 2^47).
    let seed = 7;
    const next = (below: number) => Math.floor(((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647) * below);
    const alphabet = '0123456789e+-.x"';
    for (let round = 0; round < 20_000; round++) {
      const text = Array.from({ length: next(60) }, () => (next(10) < 7 ? String(next(10)) : alphabet[next(alphabet.length)]!)).join('');
      if (mayBeWrittenOtherwise(text) !== definition.test(text)) throw new Error(`differs on ${JSON.stringify(text)}`);
    }
  });

  it('relies on factor names without spaces: the items drop every space of the factors\' jsonb text (COMPACT_FACTORS)', () => {
    for (const name of CHURN_RISK_FACTORS) expect(name).toMatch(/^[A-Za-z]+$/);
  });
});
