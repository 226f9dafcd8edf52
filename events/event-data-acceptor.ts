import type { z } from 'zod';
import { EVENT_REGISTRY, type AccountEventType } from './registry';

/**
 * Answers true only for data its type's schema accepts, without zod's parse (contexts, issue
 * lists and the walk of a generic schema: a sixth of the time of an import, a twentieth of
 * that of a command). The check is compiled from the schemas themselves, so they stay the one
 * definition of a well-formed payload; what it does not know how to check, or any doubt,
 * answers false, and parseEventData asks the schema (which also words the error).
 * event-data-acceptor.spec.ts holds it to the schema's verdict.
 */
export function acceptsEventData(type: AccountEventType, data: unknown): boolean {
  let accepts = acceptors.get(type);
  if (accepts === undefined) {
    accepts = compile(EVENT_REGISTRY[type].schema as unknown as z.core.$ZodType) ?? rejectAll;
    acceptors.set(type, accepts);
  }
  return accepts(data);
}

type Acceptor = (value: unknown) => boolean;

const acceptors = new Map<string, Acceptor>();
const rejectAll: Acceptor = () => false;

/** `tests.every((test) => test(value))` without a closure per call: it runs for every member of every line. */
function passesAll<Value>(tests: readonly ((value: Value) => boolean)[], value: Value): boolean {
  for (let index = 0; index < tests.length; index++) if (!tests[index]!(value)) return false;
  return true;
}

/** What zod keeps of a schema or a check; only the members read here. */
interface Def {
  readonly type?: string;
  readonly check?: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly checks?: readonly Check[];
  readonly coerce?: boolean;
  readonly shape?: Record<string, z.core.$ZodType>;
  readonly catchall?: z.core.$ZodType;
  readonly innerType?: z.core.$ZodType;
  readonly entries?: Record<string, unknown>;
  readonly maximum?: number;
  readonly value?: unknown;
  readonly inclusive?: boolean;
  readonly fn?: (value: unknown) => unknown;
}

/** A check as zod runs it: `check` adds to `payload.issues` what it finds wrong. */
interface Check {
  readonly _zod: { readonly def: Def; readonly check?: (payload: { value: unknown; issues: unknown[] }) => unknown };
}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;

/** Undefined for a schema (or a check of it) this does not know. */
function compile(schema: z.core.$ZodType): Acceptor | undefined {
  const def = defOf(schema);
  if (def.coerce) return undefined;
  switch (def.type) {
    case 'object': return objectAcceptor(def);
    case 'string': return stringAcceptor(def);
    case 'number': return numberAcceptor(def);
    case 'enum': return enumAcceptor(def);
    case 'optional': {
      // z.exactOptional() shares the def type but refuses undefined: left to zod.
      if (schema._zod.traits.has('$ZodExactOptional')) return undefined;
      const inner = def.checks?.length ? undefined : def.innerType && compile(def.innerType);
      return inner && ((value) => value === undefined || inner(value));
    }
    default: return undefined;
  }
}

/** Strict objects only (unknown members refused), each member checked, then the object's refinements. */
function objectAcceptor(def: Def): Acceptor | undefined {
  if (!def.shape || !def.catchall || defOf(def.catchall).type !== 'never') return undefined;
  const names = Object.keys(def.shape);
  const checks: Acceptor[] = [];
  for (const name of names) {
    const accepts = compile(def.shape[name]!);
    if (!accepts) return undefined;
    checks.push(accepts);
  }
  const refinements = refinementsOf(def.checks ?? []);
  if (!refinements) return undefined;
  const known = new Set(names);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    for (const name in record) if (!known.has(name) || record[name] === undefined) return false;
    for (let index = 0; index < names.length; index++) if (!checks[index]!(record[names[index]!])) return false;
    return refinements(value);
  };
}

/** Custom checks (refine, superRefine) only. */
function refinementsOf(checks: readonly Check[]): Acceptor | undefined {
  const tests: Acceptor[] = [];
  for (const check of checks) {
    const test = customTest(check);
    if (!test) return undefined;
    tests.push(test);
  }
  return (value) => passesAll(tests, value);
}

/**
 * A refine's predicate must answer true itself; a superRefine (no predicate, a check of zod's
 * payload) is run as zod runs it, and must report no issue and nothing asynchronous.
 */
function customTest(check: Check): Acceptor | undefined {
  const def = check._zod.def;
  if (def.check !== 'custom') return undefined;
  const fn = def.fn;
  if (typeof fn === 'function') return (value) => fn(value) === true;
  const run = check._zod.check;
  if (typeof run !== 'function') return undefined;
  return (value) => {
    const payload = { value, issues: [] as unknown[] };
    const answer = run(payload);
    return payload.issues.length === 0 && !(answer instanceof Promise) && payload.value === value;
  };
}

/** Formats that are exactly their pattern (others, such as url or email, check more). */
const PATTERN_FORMATS: ReadonlySet<string> = new Set(['regex', 'date', 'datetime']);

function patternOf(def: Def): RegExp | undefined {
  const pattern = def.pattern;
  if (!def.format || !PATTERN_FORMATS.has(def.format) || !(pattern instanceof RegExp)) return undefined;
  // Stateful patterns would need lastIndex reset as zod does: left to zod.
  return pattern.global || pattern.sticky ? undefined : pattern;
}

function stringAcceptor(def: Def): Acceptor | undefined {
  const tests: ((text: string) => boolean)[] = [];
  if (def.check !== undefined) {
    const pattern = def.check === 'string_format' ? patternOf(def) : undefined;
    if (!pattern) return undefined;
    tests.push((text) => pattern.test(text));
  }
  for (const check of def.checks ?? []) {
    const checkDef = check._zod.def;
    switch (checkDef.check) {
      case 'max_length': {
        // zod counts code points, never more than UTF-16 units: within the units is within the
        // code points, and a string past it in units only is left to zod (a false, never a wrong true).
        const maximum = checkDef.maximum!;
        tests.push((text) => text.length <= maximum);
        break;
      }
      case 'string_format': {
        const pattern = patternOf(checkDef);
        if (!pattern) return undefined;
        tests.push((text) => pattern.test(text));
        break;
      }
      case 'custom': {
        const test = customTest(check);
        if (!test) return undefined;
        tests.push(test);
        break;
      }
      default: return undefined;
    }
  }
  return (value) => typeof value === 'string' && passesAll(tests, value);
}

function numberAcceptor(def: Def): Acceptor | undefined {
  if (def.check !== undefined) return undefined;
  const tests: ((number: number) => boolean)[] = [];
  for (const check of def.checks ?? []) {
    const checkDef = check._zod.def;
    const bound = checkDef.value;
    if (checkDef.check === 'number_format' && checkDef.format === 'safeint') {
      tests.push(Number.isSafeInteger);
    } else if (checkDef.check === 'greater_than' && typeof bound === 'number') {
      tests.push(checkDef.inclusive ? (number) => number >= bound : (number) => number > bound);
    } else if (checkDef.check === 'less_than' && typeof bound === 'number') {
      tests.push(checkDef.inclusive ? (number) => number <= bound : (number) => number < bound);
    } else {
      return undefined;
    }
  }
  return (value) => typeof value === 'number' && Number.isFinite(value) && passesAll(tests, value);
}

/** Enums of strings only. */
function enumAcceptor(def: Def): Acceptor | undefined {
  if (def.check !== undefined || def.checks?.length || !def.entries) return undefined;
  const values = Object.values(def.entries);
  if (!values.every((value) => typeof value === 'string')) return undefined;
  const allowed = new Set(values);
  return (value) => typeof value === 'string' && allowed.has(value);
}
