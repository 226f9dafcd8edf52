/**
 * CSAT (1–5) and NPS (0–10) on one 0–100 scale, so a trend can mix both kinds of survey:
 * csat 1 → 0, 5 → 100; nps 0 → 0, 10 → 100.
 */
export type SurveyKind = 'csat' | 'nps';

export function satisfactionPoints(kind: SurveyKind, score: number): number {
  return kind === 'csat' ? ((score - 1) / 4) * 100 : score * 10;
}

/** NPS convention: 9–10 promoters, 0–6 detractors. */
export function npsCategory(score: number): 'promoter' | 'passive' | 'detractor' {
  if (score >= 9) return 'promoter';
  return score <= 6 ? 'detractor' : 'passive';
}
