import fc from 'fast-check';
import { SEVERITIES } from '@ahe/events';
import { loadScoringRules } from '../scoring/scoring-rules.loader';
import { DAY_MS } from '../scoring/utc-calendar';
import { accountEnvelopes, healthFactsOf, PUBLISHED_LTV_FIT, opened, type HistoryEvent } from './account-health.fixtures';
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
import { healthFiguresAt, healthViewAt, scoreAccountHealth, type AccountHealthScore } from './account-health.score';
import { CHURN_RISK_FACTORS } from './churn-risk.factors';

const rules = loadScoringRules();
const START = Date.parse('2024-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const day = (date: string) => Date.parse(`${date}T00:00:00.000Z`);

/** A random but valid account history: opened first (with a contract), then anything, in time order. */
const contractualHistory = fc
  .array(
    fc.tuple(
      fc.integer({ min: 1, max: 20 * DAY_MS }),
      fc.oneof(
        fc.record({ type: fc.constant('ContactLogged' as const) }),
        fc.record({ type: fc.constant('ComplaintRaised' as const), id: fc.integer({ min: 1, max: 6 }), severity: fc.constantFrom(...SEVERITIES), slaHours: fc.integer({ min: 1, max: 200 }) }),
        fc.record({ type: fc.constant('ComplaintResolved' as const), id: fc.integer({ min: 1, max: 6 }) }),
        fc.record({ type: fc.constant('SatisfactionRecorded' as const), score: fc.integer({ min: 0, max: 10 }) }),
        fc.record({ type: fc.constant('InvoiceIssued' as const), id: fc.integer({ min: 1, max: 6 }), amount: fc.integer({ min: 1, max: 10_000 }), dueDays: fc.integer({ min: 0, max: 60 }) }),
        fc.record({ type: fc.constant('InvoicePaid' as const), id: fc.integer({ min: 1, max: 6 }), amount: fc.integer({ min: 1, max: 10_000 }) }),
        fc.record({ type: fc.constant('RenewalWon' as const), months: fc.integer({ min: 1, max: 24 }) }),
        fc.record({ type: fc.constant('RenewalLost' as const) }),
        fc.record({ type: fc.constant('AccountClosed' as const) }),
      ),
    ),
    { maxLength: 40 },
  )
  .map((steps) => {
    let at = START;
    const events: HistoryEvent[] = [opened(iso(at), { startsOn: '2024-01-01', endsOn: '2024-12-31', annualValue: 365_000 })];
    for (const [gap, step] of steps) {
      at += gap;
      const occurredAt = iso(at);
      const date = occurredAt.slice(0, 10);
      switch (step.type) {
        case 'ContactLogged':
          events.push({ type: step.type, occurredAt, data: { channel: 'call', direction: 'outbound', summary: 'call' } });
          break;
        case 'ComplaintRaised':
          events.push({ type: step.type, occurredAt, data: { complaintId: `c${step.id}`, severity: step.severity, category: 'x', description: 'x', slaDueAt: iso(at + step.slaHours * 3_600_000) } });
          break;
        case 'ComplaintResolved':
          events.push({ type: step.type, occurredAt, data: { complaintId: `c${step.id}`, resolution: 'ok' } });
          break;
        case 'SatisfactionRecorded':
          events.push({ type: step.type, occurredAt, data: { kind: 'nps', score: step.score } });
          break;
        case 'InvoiceIssued':
          events.push({ type: step.type, occurredAt, data: { invoiceId: `i${step.id}`, amount: step.amount, dueOn: iso(day(date) + step.dueDays * DAY_MS).slice(0, 10) } });
          break;
        case 'InvoicePaid':
          events.push({ type: step.type, occurredAt, data: { invoiceId: `i${step.id}`, amount: step.amount } });
          break;
        case 'RenewalWon':
          events.push({ type: step.type, occurredAt, data: { endsOn: iso(at + step.months * 30 * DAY_MS).slice(0, 10), annualValue: 400_000 } });
          break;
        case 'RenewalLost':
          events.push({ type: step.type, occurredAt, data: { reason: 'price' } });
          break;
        case 'AccountClosed':
          events.push({ type: step.type, occurredAt, data: { reason: 'gone' } });
          break;
      }
    }
    return events;
  });

/** As often without a contract: its invoices are then purchases, valued by BG/NBD × Gamma-Gamma. */
const history = fc
  .tuple(contractualHistory, fc.boolean())
  .map(([events, contractual]) => (contractual ? events : [opened(events[0]!.occurredAt), ...events.slice(1)]));
const models = fc.constantFrom(null, PUBLISHED_LTV_FIT);

const instant = fc.integer({ min: START, max: START + 900 * DAY_MS });

/** Everything but the instant it was evaluated at and the next one. */
const timeless = ({ scoredAt: _scoredAt, rescoreAt: _rescoreAt, ...score }: AccountHealthScore) => score;

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

describe('scoreAccountHealth', () => {
  it('is healthViewAt (what GET /v1/health/:id serves) and its bookkeeping: the same view, member for member and in order', () => {
    fc.assert(
      fc.property(history, instant, models, (events, at, fit) => {
        const facts = JSON.parse(JSON.stringify(healthFactsOf('a1', events))) as AccountHealthFacts;
        const { rescoreAt: _rescoreAt, ltvFit: _ltvFit, ...view } = scoreAccountHealth(facts, rules, new Date(at), fit);
        expect(JSON.stringify(healthViewAt(facts, rules, new Date(at), fit))).toBe(JSON.stringify(view));
      }),
    );
  });

  it('explains every point: the factors add up to churnRisk, an integer from 0 to 100, in a fixed order', () => {
    fc.assert(
      fc.property(history, instant, models, (events, at, fit) => {
        const score = scoreAccountHealth(healthFactsOf('a1', events), rules, new Date(at), fit);
        expect(score.factors.map((factor) => factor.name)).toEqual([...CHURN_RISK_FACTORS]);
        expect(score.churnRisk).toBe(score.factors.reduce((sum, factor) => sum + factor.points, 0));
        expect(Number.isInteger(score.churnRisk) && score.churnRisk >= 0 && score.churnRisk <= 100).toBe(true);
        expect(score.band).toBe(score.churnRisk >= rules.bands.red ? 'red' : score.churnRisk >= rules.bands.amber ? 'amber' : 'green');
        expect(score.ltv.total).toBe(score.ltv.realized + score.ltv.expected);
      }),
    );
  });

  /** Instants just before something time-based can happen: where a missed rescoreAt would show. */
  const edges = (events: readonly HistoryEvent[]) =>
    events.flatMap((event) => {
      const at = Date.parse(event.occurredAt);
      const { meanWindowDays, trendWindowDays } = rules.satisfaction;
      const sla = event.type === 'ComplaintRaised' ? [Date.parse(event.data.slaDueAt)] : [];
      return [at, at + meanWindowDays * DAY_MS, at + trendWindowDays * DAY_MS, ...sla];
    });

  it('keeps the score until rescoreAt: no time-based value changes before it', () => {
    fc.assert(
      fc.property(history, instant, models, fc.nat(), fc.integer({ min: 0, max: DAY_MS }), fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), (events, anyInstant, fit, pick, before, nearEdge, fraction) => {
        const facts = healthFactsOf('a1', events);
        const candidates = edges(events);
        const at = nearEdge ? candidates[pick % candidates.length]! - before : anyInstant;
        const score = scoreAccountHealth(facts, rules, new Date(at), fit);
        if (score.rescoreAt === null) {
          expect(score.status).toBe('closed');
          expect(timeless(scoreAccountHealth(facts, rules, new Date(at + 400 * DAY_MS), fit))).toEqual(timeless(score));
          return;
        }
        const next = Date.parse(score.rescoreAt);
        expect(next).toBeGreaterThan(at);
        expect(next).toBeLessThanOrEqual(Math.floor(at / DAY_MS) * DAY_MS + DAY_MS);
        const between = at + Math.floor((next - 1 - at) * fraction);
        expect(timeless(scoreAccountHealth(facts, rules, new Date(between), fit))).toEqual(timeless(score));
        expect(timeless(scoreAccountHealth(facts, rules, new Date(next - 1), fit))).toEqual(timeless(score));
      }),
      { numRuns: 2000 },
    );
  });
});
