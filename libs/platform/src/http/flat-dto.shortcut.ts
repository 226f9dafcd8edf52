import { TransformationType } from 'class-transformer';
import { getMetadataStorage, ValidationTypes } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Metadata = ReturnType<Storage['getTargetValidationMetadatas']>[number];
type Dto = new () => object;

/** The calls of class-transformer's storage (pinned in package.json) that decide whether a plain copy is what it would build. */
interface TransformerStorage {
  getStrategy(target: Dto): string;
  getExposedMetadatas(target: Dto): readonly unknown[];
  getExcludedMetadatas(target: Dto): readonly unknown[];
  findTypeMetadata(target: Dto, property: string): unknown;
  findTransformMetadatas(target: Dto, property: string, type: TransformationType): readonly unknown[];
}

const transformerStorage = (): TransformerStorage =>
  (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerStorage }).defaultMetadataStorage;

interface Validator {
  validate(value: unknown, args: unknown): unknown;
}

interface Check {
  readonly metadata: Metadata;
  /**
   * The constraint instances class-validator would call. Its default container finds one by a
   * scan of every constraint class instantiated so far (one per decorator use: hundreds), and
   * always gives the same one; this code base sets no other container (useContainer).
   */
  readonly validators: readonly Validator[];
}

interface PropertyRules {
  readonly name: string;
  readonly conditions: readonly Metadata[];
  /** @IsDefined and the other rules, in the order class-validator runs them. */
  readonly checks: readonly Check[];
}

interface Plan {
  readonly targetName: string;
  readonly rules: readonly PropertyRules[];
  readonly allowed: ReadonlySet<string>;
}

/** Keys class-transformer or Nest's pipe skip or strip, and that would name the prototype's members. */
const SPECIAL = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The valid request of a flat DTO without running class-transformer and class-validator: for a
 * class whose rules are all synchronous property checks (no nested DTO, no class-transformer
 * decorator) and a plain object of JSON scalars, the instance is `new Dto()` with the keys
 * copied, which is what plainToInstance builds, and it is valid when every key has rules and
 * every rule's own `validate` accepts it, which is when class-validator reports nothing. A plan
 * is made per class, and made again once a rule or class-transformer decorator is added anywhere.
 * Whatever the shortcut cannot prove valid is answered undefined, and the pipe then validates
 * as before, so every error (message, order, field) is class-validator's own.
 */
export class FlatDtoShortcut {
  private readonly plans = new WeakMap<Dto, { readonly rulesAdded: number; readonly plan: Plan | null }>();
  /** Bumped by every rule and every class-transformer decorator: one added after a plan was made (a class loaded late) makes the plans stale. */
  private readonly additions: { readonly count: number };

  constructor(
    private readonly storage: Storage = getMetadataStorage(),
    private readonly transformer: TransformerStorage = transformerStorage(),
  ) {
    this.additions = countAdditions([
      [storage, ['addValidationMetadata', 'addConstraintMetadata']],
      [transformer, ['addTypeMetadata', 'addTransformMetadata', 'addExposeMetadata', 'addExcludeMetadata']],
    ]);
  }

  /** The DTO instance when `value` is provably valid; undefined when the full pipe must decide. */
  instanceIfValid(metatype: Dto, value: object): object | undefined {
    const plan = this.planOf(metatype);
    if (plan === null) return undefined;
    const source = value as Record<string, unknown>;
    const keys = Object.keys(source);
    for (const key of keys) {
      if (!plan.allowed.has(key) || !isScalar(source[key])) return undefined;
    }
    const instance = new metatype() as Record<string, unknown>;
    for (const key of keys) instance[key] = source[key];
    for (const property of plan.rules) {
      if (!passes(plan.targetName, instance, property)) return undefined;
    }
    return instance;
  }

  private planOf(metatype: Dto): Plan | null {
    const known = this.plans.get(metatype);
    const rulesAdded = this.additions.count;
    if (known !== undefined && known.rulesAdded === rulesAdded) return known.plan;
    // The arguments ValidationExecutor passes for the global pipe (no groups, schema or `always`).
    const metadatas = this.storage.getTargetValidationMetadatas(metatype, undefined as unknown as string, false, false, undefined);
    const plan = this.makePlan(metatype, metadatas);
    this.plans.set(metatype, { rulesAdded, plan });
    return plan;
  }

  private makePlan(metatype: Dto, metadatas: readonly Metadata[]): Plan | null {
    if (metadatas.length === 0 || this.classIsTransformed(metatype)) return null;
    const grouped = this.storage.groupByPropertyName(metadatas as Metadata[]);
    const probe = new metatype() as Record<string, unknown>;
    const rules: PropertyRules[] = [];
    for (const [name, ofProperty] of Object.entries(grouped)) {
      // A member of the prototype (method, accessor) is a key class-transformer does not copy.
      if (SPECIAL.has(name) || name in metatype.prototype || typeof probe[name] === 'function') return null;
      if (this.propertyIsTransformed(metatype, name)) return null;
      const conditions: Metadata[] = [];
      const defined: Metadata[] = [];
      const others: Metadata[] = [];
      for (const metadata of ofProperty) {
        if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) conditions.push(metadata);
        else if (metadata.type === ValidationTypes.IS_DEFINED) defined.push(metadata);
        else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION) others.push(metadata);
        else if (metadata.type !== ValidationTypes.WHITELIST) return null;
      }
      const checks: Check[] = [];
      for (const metadata of [...defined, ...others]) {
        const constraints = this.storage.getTargetValidatorConstraints(metadata.constraintCls);
        if (constraints.some((constraint) => constraint.async)) return null;
        checks.push({ metadata, validators: constraints.map((constraint) => constraint.instance as Validator) });
      }
      rules.push({ name, conditions, checks });
    }
    return { targetName: metatype.name, rules, allowed: new Set(Object.keys(grouped)) };
  }

  private classIsTransformed(metatype: Dto): boolean {
    const storage = this.transformer;
    return storage.getStrategy(metatype) !== 'none' || storage.getExposedMetadatas(metatype).length > 0 || storage.getExcludedMetadatas(metatype).length > 0;
  }

  private propertyIsTransformed(metatype: Dto, property: string): boolean {
    const storage = this.transformer;
    return storage.findTypeMetadata(metatype, property) !== undefined || storage.findTransformMetadatas(metatype, property, TransformationType.PLAIN_TO_CLASS).length > 0;
  }
}

/** Whether class-validator would find nothing wrong with this property of `instance` (see ValidationExecutor.performValidations). */
function passes(targetName: string, instance: Record<string, unknown>, property: PropertyRules): boolean {
  const value = instance[property.name];
  // class-validator evaluates every condition, without stopping at the first false one.
  let applies = true;
  for (const condition of property.conditions) applies = (condition.constraints[0] as (object: object, value: unknown) => boolean)(instance, value) && applies;
  if (!applies) return true;
  for (const { metadata, validators } of property.checks) {
    if (metadata.validateIf && !metadata.validateIf(instance, value)) continue;
    for (const validator of validators) {
      const args = { targetName, property: metadata.propertyName, object: instance, value, constraints: metadata.constraints };
      const valid = validator.validate(value, args);
      if (isThenable(valid)) {
        valid.then(undefined, () => undefined);
        return false;
      }
      if (!valid) return false;
    }
  }
  return true;
}

const COUNTED = Symbol.for('ahe.flatDtoShortcut.additions');

type Adders = Record<string, (...args: unknown[]) => unknown> & { [COUNTED]?: { count: number } };

/** Counts the calls of the storages' adders, each storage wrapped once however many pipes are built. */
function countAdditions(storages: readonly [object, readonly string[]][]): { readonly count: number } {
  const counters = storages.map(([storage, adders]) => {
    const wrapped = storage as Adders;
    const known = wrapped[COUNTED];
    if (known !== undefined) return known;
    const counter = { count: 0 };
    for (const adder of adders) {
      const add = wrapped[adder]!.bind(storage);
      wrapped[adder] = (...args) => {
        counter.count++;
        return add(...args);
      };
    }
    wrapped[COUNTED] = counter;
    return counter;
  });
  return { get count() { return counters.reduce((sum, counter) => sum + counter.count, 0); } };
}

/** What JSON and query strings carry besides objects and arrays, which class-transformer would copy deeply. */
function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
