import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import canonicalize from 'canonicalize';
import { escalationRulesSchema, type EscalationRulesDocument } from './escalation-rules.schema';

export interface EscalationRules extends EscalationRulesDocument {
  /** Where the rules were read from, for logs and errors. */
  readonly source: string;
}

export class InvalidEscalationRulesError extends Error {
  override readonly name = 'InvalidEscalationRulesError';
  /** The variable that chooses the file: what an operator fixes, named by the start failure. */
  readonly setting = 'ESCALATION_RULES_FILE';
}

export const ESCALATION_RULES_PATH = join('config', 'escalation-rules.json');

/** Reads and validates the rules; by default the shipped config/escalation-rules.json. */
export function loadEscalationRules(file: string = defaultEscalationRulesFile()): EscalationRules {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidEscalationRulesError(`${file}: cannot be read: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidEscalationRulesError(`${file}: is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseEscalationRules(json, file);
}

/** Validates parsed JSON; `source` names it in errors (a file path, or e.g. "spec"). */
export function parseEscalationRules(json: unknown, source = '(inline escalation rules)'): EscalationRules {
  const parsed = escalationRulesSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidEscalationRulesError(`${source}: invalid escalation rules: ${problems.join('; ')}`);
  }
  return Object.freeze({ ...parsed.data, source });
}

/**
 * `v<version>-<first 8 hex of sha256 of the canonical JSON>`: an edit that forgets to bump
 * `version` still changes it, so the process manager, versioned by it, re-derives its decisions
 * under the rules it now applies. Where the rules were read from does not count.
 */
export function escalationRulesVersion(rules: EscalationRulesDocument & { readonly source?: string }): string {
  const { source: _source, ...document } = rules;
  const digest = createHash('sha256').update(canonicalize(document)!).digest('hex').slice(0, 8);
  return `v${rules.version}-${digest}`;
}

/** Walks up from this file, so the same code finds the file from src/ (tests) and dist/ (builds). */
export function defaultEscalationRulesFile(from: string = __dirname): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const candidate = join(folder, ESCALATION_RULES_PATH);
    if (existsSync(candidate)) return candidate;
    if (dirname(folder) === folder) {
      throw new InvalidEscalationRulesError(`no ${ESCALATION_RULES_PATH} found in ${from} or any folder above it`);
    }
  }
}
