import { CHURN_RISK_FACTORS } from './churn-risk.factors';
import { healthPageJson, jsIdentical } from './health-item.sql';

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

  it('relies on factor names without spaces: the items drop every space of the factors\' jsonb text (COMPACT_FACTORS)', () => {
    for (const name of CHURN_RISK_FACTORS) expect(name).toMatch(/^[A-Za-z]+$/);
  });
});
