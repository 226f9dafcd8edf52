import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
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

const isPlainObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/**
 * The global pipe: whitelisted DTO fields only (an unknown field is a 400), values converted to
 * the DTO's classes but never coerced between types ("100" stays a string and fails @IsInt).
 * A body that is not a JSON object at all is refused before class-validator sees it.
 */
export class StrictValidationPipe extends ValidationPipe {
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
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object && !isPlainObject(value)) {
      throw new BadRequestException({ message: 'The body must be a JSON object', code: 'VALIDATION_FAILED', field: 'body' });
    }
    return super.transform(value, metadata);
  }
}
