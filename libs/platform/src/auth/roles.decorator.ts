import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { ApiRole } from '../config/api-keys.schema';

export const ROLES_KEY = 'ahe:roles';
export const PUBLIC_KEY = 'ahe:public';

/**
 * The roles that may call a route (or every route of a controller); `admin` may call all of
 * them. A route with neither `@Roles` nor `@Public` needs a valid key of any role.
 */
export const Roles = (...roles: ApiRole[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No API key, or an unknown one' }),
    ApiForbiddenResponse({ description: `The key's role is not one of: ${[...roles, 'admin'].join(', ')}` }),
  );

/** Needs no API key and is not rate limited by key (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
