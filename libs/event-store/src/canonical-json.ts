/**
 * Canonical JSON (RFC 8785 as the `canonicalize` package writes it) of what `JSON.stringify`
 * keeps of a value, in one pass: the same text as `canonicalize(JSON.parse(JSON.stringify(v)))`,
 * which the hash chain of stored events was built with, at a fraction of its cost (no round
 * trip, no string concatenation per member through `reduce`). Undefined when JSON.stringify
 * would drop the value; throws where JSON.stringify throws (cycles, BigInt).
 */
export function canonicalJson(value: unknown): string | undefined {
  return serialise(value, '', []);
}

/**
 * The canonical JSON of an object without its braces and without the `omitted` members (of
 * the object itself, not of nested ones): `{${members}}` is the canonical JSON of the object
 * as JSON.parse would give it back with those members deleted. Undefined when the value is
 * not written as a JSON object (an array, a boxed primitive, a toJSON answering anything else).
 */
export function canonicalMembers(value: unknown, omitted: ReadonlySet<string>): string | undefined {
  if (typeof value === 'object' && value !== null || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, '');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) ||
    value instanceof Number || value instanceof String || value instanceof Boolean) {
    // Still serialised: what JSON.stringify throws on, this throws on too.
    serialiseResolved(value, []);
    return undefined;
  }
  const stack = [value];
  return members(value as Record<string, unknown>, stack, omitted);
}

/** Characters JSON.stringify escapes (or, for lone surrogates, may escape). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify` of a string. Most strings of an event need no escaping, and quoting them
 * directly costs a fraction of a JSON.stringify call (which sets up a whole serialiser).
 */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** `JSON.stringify` of a number: ECMAScript's own number to string (RFC 8785 asks for it), null when not finite. */
export function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** `key`: the member name, or the index in an array (made a string only for a toJSON). */
function serialise(value: unknown, key: string | number, stack: object[]): string | undefined {
  if (typeof value === 'object' && value !== null || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, String(key));
  }
  return serialiseResolved(value, stack);
}

/** `serialise` of a value whose toJSON, if any, has been called. */
function serialiseResolved(value: unknown, stack: object[]): string | undefined {
  switch (typeof value) {
    case 'string': return jsonString(value);
    case 'number': return jsonNumber(value);
    case 'boolean': return value ? 'true' : 'false';
    case 'object': return value === null ? 'null' : serialiseObject(value, stack);
    // JSON.stringify's own error for BigInt, and nothing for undefined, functions and symbols.
    case 'bigint': return JSON.stringify(value);
    default: return undefined;
  }
}

/**
 * A member's name as written before its value, `"name":`, and the same after a comma. Names
 * recur across events: each is quoted once (up to a bound, for payloads of arbitrary names),
 * and a member is then one concatenation, which also keeps the text's rope shallow for the
 * flattening that hashing and sending it do.
 */
interface MemberPrefix {
  readonly first: string;
  readonly next: string;
}

const memberPrefixes = new Map<string, MemberPrefix>();
const MAX_QUOTED_NAMES = 4096;

function memberPrefix(name: string): MemberPrefix {
  let prefix = memberPrefixes.get(name);
  if (prefix === undefined) {
    const first = `${jsonString(name)}:`;
    prefix = { first, next: `,${first}` };
    if (memberPrefixes.size < MAX_QUOTED_NAMES) memberPrefixes.set(name, prefix);
  }
  return prefix;
}

/** A cycle makes the nesting grow without end: the stack is searched only past this depth. */
const CYCLE_CHECK_DEPTH = 32;

function serialiseObject(value: object, stack: object[]): string {
  // Boxed primitives stand for their value, as in JSON.stringify.
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    return serialise(value.valueOf(), '', stack)!;
  }
  if (stack.length >= CYCLE_CHECK_DEPTH && stack.includes(value)) throw new TypeError('Converting circular structure to JSON');
  stack.push(value);
  let text: string;
  if (Array.isArray(value)) {
    text = '[';
    for (let index = 0; index < value.length; index++) {
      text += (index === 0 ? '' : ',') + (serialise(value[index], index, stack) ?? 'null');
    }
    text += ']';
  } else {
    text = `{${members(value as Record<string, unknown>, stack, undefined)}}`;
  }
  stack.pop();
  return text;
}

/** The members of an object's canonical JSON, without the braces and the `omitted` names. */
function members(record: Record<string, unknown>, stack: object[], omitted: ReadonlySet<string> | undefined): string {
  let text = '';
  for (const member of sortedNames(Object.keys(record))) {
    if (omitted?.has(member)) continue;
    const serialised = serialise(record[member], member, stack);
    if (serialised === undefined) continue;
    const prefix = memberPrefix(member);
    text = text.length === 0 ? prefix.first + serialised : text + prefix.next + serialised;
  }
  return text;
}

/** Past this many members the insertion sort's quadratic cost outgrows the built-in sort's overhead. */
const INSERTION_SORT_MAX = 16;

/**
 * Sorts member names in place by UTF-16 code units, as RFC 8785 asks (what `<` on strings
 * compares, and the default sort). Objects of events have a handful of members, often in
 * order already: an insertion sort costs a fraction of Array.prototype.sort there.
 */
function sortedNames(names: string[]): string[] {
  if (names.length > INSERTION_SORT_MAX) return names.sort();
  for (let index = 1; index < names.length; index++) {
    const name = names[index]!;
    let at = index - 1;
    while (at >= 0 && names[at]! > name) {
      names[at + 1] = names[at]!;
      at--;
    }
    names[at + 1] = name;
  }
  return names;
}
