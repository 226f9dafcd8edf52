import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import type { ApiRole } from '../config/api-keys.schema';
import { bearerTokenOf, PRINCIPAL, principalOf } from './principal';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/**
 * API keys and roles (API.md, Conventions): 401 without a known key, 403 when none of its roles
 * may call the route. With no keys configured the API runs open (main.ts warns at start).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (this.config.apiKeys.length === 0) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) {
      throw new UnauthorizedException('An API key is required: send Authorization: Bearer <key>');
    }
    const principal = principalOf(this.config.apiKeys, token);
    if (principal === undefined) throw new UnauthorizedException('The API key is not known');
    Object.assign(request, { [PRINCIPAL]: principal });
    const allowed = this.reflector.getAllAndOverride<ApiRole[] | undefined>(ROLES_KEY, targets);
    if (allowed === undefined || principal.roles.some((role) => role === 'admin' || allowed.includes(role))) return true;
    throw new ForbiddenException(`This route needs the role ${[...allowed, 'admin'].join(' or ')}; the key has ${principal.roles.join(', ')}`);
  }
}
