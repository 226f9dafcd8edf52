import { Injectable, type PipeTransform } from '@nestjs/common';
import { badQuery } from './bad-query';

/**
 * For routes that take no query parameters yet: an unknown parameter is a 400 naming it, as
 * StrictValidationPipe does for DTOs (which cannot be empty classes: class-validator refuses an
 * object without rules). Keeps `?asOf=` from being silently ignored before it is implemented.
 */
@Injectable()
export class NoQueryParamsPipe implements PipeTransform {
  transform(query: unknown): Record<string, never> {
    const [field] = Object.keys((query ?? {}) as object);
    if (field !== undefined) throw badQuery(field, `property ${field} should not exist`);
    return {};
  }
}
