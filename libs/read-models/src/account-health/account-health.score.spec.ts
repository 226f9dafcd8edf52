import fc from 'fast-check';
import { DAY_MS } from '../scoring/utc-calendar';
import { healthFactsOf, type HistoryEvent } from './account-health.fixtures';
import type { AccountHealthFacts } from './account-health.facts';
import { history, instant, models, rules } from './account-health.property-harness.contract';
import { healthViewAt, scoreAccountHealth, type AccountHealthScore } from './account-health.score';
import { CHURN_RISK_FACTORS } from './churn-risk.factors';

/** Everything but the instant it was evaluated at and the next one. */
const timeless = ({ scoredAt: _scoredAt, rescoreAt: _rescoreAt, ...score }: AccountHealthScore) => score;

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
          expect(score.status).not.toBe('open');
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
