import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import type { ApiRole } from '../config/api-keys.schema';
import { bearerTokenOf, PRINCIPAL, principalOf, type Principal } from './principal';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/** What a route asks of a key: none (public), any known key, or one of these roles. */
interface RouteAccess {
  readonly isPublic: boolean;
  readonly roles?: readonly ApiRole[];
}

/**
 * API keys and roles (API.md, Conventions): 401 without a known key, 403 when none of its roles
 * may call the route. With no keys configured the API runs open (main.ts warns at start).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  /** By handler, then controller: route metadata is fixed once the app is built. */
  private readonly access = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const access = this.accessOf(context.getHandler(), context.getClass());
    if (access.isPublic) return true;
    if (this.config.apiKeys.length === 0) return true;
    // The request is argument 0 of an http context; switchToHttp() would build three closures a request for it.
    const request = context.getArgByIndex<{ headers: Record<string, string | string[] | undefined> }>(0);
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) {
      throw new UnauthorizedException('An API key is required: send Authorization: Bearer <key>');
    }
    const principal = principalOf(this.config.apiKeys, token, request);
    if (principal === undefined) throw new UnauthorizedException('The API key is not known');
    (request as { [PRINCIPAL]?: Principal })[PRINCIPAL] = principal;
    const allowed = access.roles;
    if (allowed === undefined || principal.roles.some((role) => role === 'admin' || allowed.includes(role))) return true;
    throw new ForbiddenException(`This route needs the role ${[...allowed, 'admin'].join(' or ')}; the key has ${principal.roles.join(', ')}`);
  }

  private accessOf(handler: object, controller: object): RouteAccess {
    let byController = this.access.get(handler);
    if (!byController) this.access.set(handler, (byController = new WeakMap()));
    let access = byController.get(controller);
    if (!access) {
      const targets = [handler as () => void, controller as () => void];
      access = {
        isPublic: Boolean(this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets)),
        roles: this.reflector.getAllAndOverride<ApiRole[] | undefined>(ROLES_KEY, targets),
      };
      byController.set(controller, access);
    }
    return access;
  }
}
