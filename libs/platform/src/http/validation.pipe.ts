import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { FlatDtoShortcut } from './flat-dto.shortcut';
import { memoizeValidationMetadata } from './validation-metadata.memo';

export interface FieldProblem {
  /** Dotted path of the field, e.g. `contract.endsOn`. */
  readonly field: string;
  readonly messages: readonly string[];
}

/** class-validator's tree as one problem per field, each message starting with the field's full path. */
export function fieldProblemsOf(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(`${error.property} `) ? `${field}${message.slice(error.property.length)}` : message,
    );
    return [...(own.length ? [{ field, messages: own }] : []), ...fieldProblemsOf(error.children ?? [], field)];
  });
}

function badRequestOf(errors: ValidationError[]): BadRequestException {
  const problems = fieldProblemsOf(errors);
  const message = problems.flatMap((problem) => problem.messages).join('; ') || 'The request is invalid';
  return new BadRequestException({ message, code: 'VALIDATION_FAILED', field: problems[0]?.field, details: problems });
}

const isPlainObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/**
 * A plain object, or one whose prototypes hold nothing: Fastify's query strings and route
 * parameters come as objects without Object.prototype (find-my-way's on an empty null-prototype).
 */
function isRecord(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (let prototype = Object.getPrototypeOf(value) as object | null; prototype !== null && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype) as object | null) {
    if (Reflect.ownKeys(prototype).length > 0) return false;
  }
  return true;
}

/** Metatypes Nest's pipe passes through without validating (ValidationPipe.toValidate). */
const UNVALIDATED = new Set<unknown>([String, Boolean, Number, Array, Object, Buffer, Date]);

/**
 * The global pipe: whitelisted DTO fields only (an unknown field is a 400), values converted to
 * the DTO's classes but never coerced between types ("100" stays a string and fails @IsInt).
 * A body that is not a JSON object at all is refused before class-validator sees it. A flat DTO
 * that is provably valid skips class-transformer and class-validator (flat-dto.shortcut.ts);
 * everything else, every invalid input included, goes through Nest's ValidationPipe.
 */
export class StrictValidationPipe extends ValidationPipe {
  private readonly shortcut: FlatDtoShortcut;

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: badRequestOf,
    });
    memoizeValidationMetadata();
    this.shortcut = new FlatDtoShortcut();
  }

  override transform(received: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype, type } = metadata;
    // A POST with no body at all is an empty command: fine where every field is optional (an
    // acknowledgement), and a 400 naming each required field elsewhere.
    const value = type === 'body' && received === undefined ? {} : received;
    if (type === 'body' && metatype && metatype !== Object && !isPlainObject(value)) {
      return Promise.reject(new BadRequestException({ message: 'The body must be a JSON object', code: 'VALIDATION_FAILED', field: 'body' }));
    }
    if (type !== 'custom' && typeof metatype === 'function' && !UNVALIDATED.has(metatype) && isRecord(value)) {
      const instance = this.shortcut.instanceIfValid(metatype as new () => object, value);
      if (instance !== undefined) return Promise.resolve(instance);
    }
    return super.transform(value, metadata);
  }
}
