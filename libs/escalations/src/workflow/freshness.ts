import type { EscalationRulesDocument } from './escalation-rules.schema';

const DAY_MS = 86_400_000;

/** The condition arose at most maxAgeDays before now; a deadline still ahead is always fresh. */
export function isFresh(arisenAt: string | number, rules: Pick<EscalationRulesDocument, 'maxAgeDays'>, now: Date): boolean {
  const arisenMs = typeof arisenAt === 'number' ? arisenAt : Date.parse(arisenAt);
  return arisenMs >= now.getTime() - rules.maxAgeDays * DAY_MS;
}
