import type { z } from 'zod';

/** One problem with an event payload; `message` starts with the field it is about. */
export interface EventIssue {
  /** Dotted path inside the payload, e.g. `contract.endsOn`; empty for the payload itself. */
  readonly path: string;
  readonly message: string;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

/** Zod's defaults ("Invalid input: expected int, received number") are for developers. */
export const eventErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters long`;
      return issue.inclusive ? `must be at most ${issue.maximum}` : `must be less than ${issue.maximum}`;
    case 'too_small':
      if (issue.origin === 'string') return `must be at least ${issue.minimum} characters long`;
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}`;
    default:
      return undefined;
  }
};

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index > 0 ? '.' : ''}${String(key)}`))
    .join('');
}

function issue(path: readonly PropertyKey[], message: string): EventIssue {
  const field = formatPath(path);
  return { path: field, message: `${field || 'data'} ${message}` };
}

export function toEventIssues(error: z.ZodError): EventIssue[] {
  const issues = error.issues.flatMap((zodIssue) =>
    zodIssue.code === 'unrecognized_keys'
      ? zodIssue.keys.map((key) => issue([...zodIssue.path, key], 'is not a known field'))
      : [issue(zodIssue.path, zodIssue.message)],
  );
  // `.int().safe()` reports an unsafe integer twice.
  const seen = new Set<string>();
  return issues.filter(({ message }) => {
    if (seen.has(message)) return false;
    seen.add(message);
    return true;
  });
}
