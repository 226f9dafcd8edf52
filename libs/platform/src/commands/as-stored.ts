/**
 * An event's data as a read of the store gives it back: JSON.parse(JSON.stringify(data)). A
 * plain record of strings, booleans, null and finite numbers other than -0 (what most commands
 * decide) comes back as a copy with the same keys in the same order, which costs a fraction of
 * the round trip; anything else goes through JSON.
 */
export function asStored(data: unknown): unknown {
  return flatCopy(data) ?? (JSON.parse(JSON.stringify(data)) as unknown);
}

function flatCopy(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  // Object.keys: the own enumerable string keys, in the order JSON.stringify writes them.
  for (const key of Object.keys(source)) {
    const member = source[key];
    if (key === '__proto__' || !isJsonScalar(member)) return undefined;
    copy[key] = member;
  }
  return copy;
}

function isJsonScalar(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    default:
      return value === null;
  }
}
