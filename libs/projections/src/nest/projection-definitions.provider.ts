import type { FactoryProvider, InjectionToken } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ahe/platform';
import type { ProjectionDefinition } from '../projection.definition';

/** Injection token of the process's projection definitions: `@Inject(PROJECTION_DEFINITIONS) definitions: readonly ProjectionDefinition[]`. */
export const PROJECTION_DEFINITIONS = Symbol('PROJECTION_DEFINITIONS');

export interface ProjectionModuleOptions {
  /** The read models this process knows; called once, with the configuration and then `inject`'s providers. */
  readonly definitions: (config: AppConfig, ...injected: never[]) => readonly ProjectionDefinition[] | Promise<readonly ProjectionDefinition[]>;
  /** Providers the factory needs besides the configuration (e.g. the scoring rules). */
  readonly inject?: readonly InjectionToken[];
}

export function definitionsProvider(options: ProjectionModuleOptions): FactoryProvider<readonly ProjectionDefinition[]> {
  return {
    provide: PROJECTION_DEFINITIONS,
    inject: [APP_CONFIG, ...(options.inject ?? [])],
    useFactory: async (config: AppConfig, ...injected: unknown[]) => options.definitions(config, ...(injected as never[])),
  };
}
