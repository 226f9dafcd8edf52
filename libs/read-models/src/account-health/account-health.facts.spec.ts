import fc from 'fast-check';
import { accountEnvelopes, healthFactsOf } from './account-health.fixtures';
import {
  evolveFoldingFacts,
  factsOfStored,
  foldingFactsOf,
  healthFactsOf as viewOfFoldingFacts,
  initialHealthFacts,
  storedFactsOf,
  type AccountHealthFacts,
  type StoredHealthFacts,
} from './account-health.facts';
import { history, instant, models, rules } from './account-health.property-harness.contract';
import { healthFiguresAt, healthViewAt, scoreAccountHealth } from './account-health.score';

describe('healthFiguresAt (the history rows of a rebuild)', () => {
  it('gives healthViewAt\'s figures, folded without AccountState views or from the stored JSON', () => {
    fc.assert(
      fc.property(history, instant, models, (events, at, fit) => {
        const envelopes = accountEnvelopes('a1', events);
        const folding = envelopes.reduce((into, envelope) => evolveFoldingFacts(into, envelope), foldingFactsOf(initialHealthFacts('a1')));
        const facts = healthFactsOf('a1', events);
        const stored = JSON.parse(JSON.stringify(facts)) as AccountHealthFacts;
        const { churnRisk, band, satisfaction, ltv } = healthViewAt(facts, rules, new Date(at), fit);
        for (const from of [folding, facts, stored]) expect(healthFiguresAt(from, rules, at, fit)).toEqual({ churnRisk, band, satisfaction, ltv });
        expect(JSON.stringify(viewOfFoldingFacts(folding))).toBe(JSON.stringify(facts));
      }),
    );
  });
});

describe('stored facts (account_health.facts)', () => {
  const viaJson = <T>(value: unknown) => JSON.parse(JSON.stringify(value)) as T;

  it('hold the collections as [id, value] lists, so that no id is a key of the document', () => {
    fc.assert(
      fc.property(history, (events) => {
        const stored = JSON.stringify(storedFactsOf(healthFactsOf('a1', events)));
        const keys = new Set<string>();
        JSON.parse(stored, (key, value: unknown) => (keys.add(key), value));
        const ids = events.flatMap((event) => Object.entries(event.data).filter(([name]) => name.endsWith('Id')).map(([, id]) => id as string));
        expect(ids.filter((id) => keys.has(id))).toEqual([]);
      }),
    );
  });

  it('read back, in this format or as records (rows written before account_health.v5), score, fold on and store again as the facts they came from', () => {
    fc.assert(
      fc.property(history, fc.nat(), instant, models, (events, cut, at, fit) => {
        const envelopes = accountEnvelopes('a1', events);
        const split = 1 + (cut % envelopes.length);
        const fold = (from: AccountHealthFacts | ReturnType<typeof foldingFactsOf>, more: typeof envelopes) => more.reduce((into, envelope) => evolveFoldingFacts(into, envelope), foldingFactsOf(from));
        const whole = fold(initialHealthFacts('a1'), envelopes);
        const expected = scoreAccountHealth(viewOfFoldingFacts(whole), rules, new Date(at), fit);
        const written = viaJson<StoredHealthFacts>(storedFactsOf(whole));
        const half = fold(initialHealthFacts('a1'), envelopes.slice(0, split));
        for (const stored of [written, viaJson<AccountHealthFacts>(viewOfFoldingFacts(whole))]) {
          const read = factsOfStored(stored);
          expect(scoreAccountHealth(read, rules, new Date(at), fit)).toEqual(expected);
          expect(JSON.stringify(storedFactsOf(read))).toBe(JSON.stringify(written));
          expect(JSON.stringify(viewOfFoldingFacts(read))).toBe(JSON.stringify(viewOfFoldingFacts(whole)));
        }
        for (const stored of [viaJson<StoredHealthFacts>(storedFactsOf(half)), viaJson<AccountHealthFacts>(viewOfFoldingFacts(half))]) {
          expect(JSON.stringify(storedFactsOf(fold(factsOfStored(stored), envelopes.slice(split))))).toBe(JSON.stringify(written));
        }
      }),
    );
  });
});
