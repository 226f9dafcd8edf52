import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import canonicalize from 'canonicalize';
import type { LtvSettings } from '../ltv/ltv.types';
import { scoringRulesSchema, type ScoringRulesDocument } from './scoring-rules.schema';

export interface ScoringRules extends ScoringRulesDocument {
  /** Named as expectedLtv takes it, so the schema cannot drift from it. */
  readonly ltv: LtvSettings;
  /**
   * `v<version>-<first 8 hex of sha256 of the canonical JSON>`: an edit that forgets to bump
   * `version` still changes it, so the projection is rebuilt with the rules it serves.
   */
  readonly scoringVersion: string;
  /** Where the rules were read from, for logs and errors. */
  readonly source: string;
}

export class InvalidScoringRulesError extends Error {
  override readonly name = 'InvalidScoringRulesError';
  /** The variable that chooses the file: what an operator fixes, named by the start failure. */
  readonly setting = 'SCORING_RULES_FILE';
}

export const SCORING_RULES_PATH = join('config', 'scoring-rules.json');

/** Reads and validates the rules; by default the shipped config/scoring-rules.json. */
export function loadScoringRules(file: string = defaultScoringRulesFile()): ScoringRules {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidScoringRulesError(`${file}: cannot be read: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidScoringRulesError(`${file}: is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseScoringRules(json, file);
}

export function parseScoringRules(json: unknown, source: string): ScoringRules {
  const parsed = scoringRulesSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidScoringRulesError(`${source}: invalid scoring rules: ${problems.join('; ')}`);
  }
  const digest = createHash('sha256').update(canonicalize(parsed.data)!).digest('hex').slice(0, 8);
  return Object.freeze({ ...parsed.data, scoringVersion: `v${parsed.data.version}-${digest}`, source });
}

/** Walks up from this file, so the same code finds the file from src/ (tests) and dist/ (builds). */
export function defaultScoringRulesFile(from: string = __dirname): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const candidate = join(folder, SCORING_RULES_PATH);
    if (existsSync(candidate)) return candidate;
    if (dirname(folder) === folder) throw new InvalidScoringRulesError(`no ${SCORING_RULES_PATH} found in ${from} or any folder above it`);
  }
}
