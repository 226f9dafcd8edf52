import type { z } from 'zod';

export interface UpcastContext {
  /** Business time of the stored event, ISO 8601. */
  readonly occurredAt: string;
}

/**
 * Lifts a payload from one schema version to the next. Pure: everything it needs comes
 * from the payload and the context. It receives stored data, so it validates what it reads.
 */
export type Upcaster = (data: unknown, context: UpcastContext) => unknown;

export interface EventDescriptor<Type extends string, Schema extends z.ZodType> {
  readonly type: Type;
  /** Version of `schema`; writers stamp it on every new event. */
  readonly schemaVersion: number;
  readonly schema: Schema;
  /** `upcasters[v]` turns version v into version v + 1, for every v below schemaVersion. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

export function defineEvent<const Type extends string, Schema extends z.ZodType>(
  descriptor: EventDescriptor<Type, Schema>,
): EventDescriptor<Type, Schema> {
  return Object.freeze({ ...descriptor, upcasters: Object.freeze({ ...descriptor.upcasters }) });
}
