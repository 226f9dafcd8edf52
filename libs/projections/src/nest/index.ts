export { ProjectionWorkersModule } from './projection-workers.module';
export { ProjectionCatalogModule } from './projection-catalog.module';
export { PROJECTION_DEFINITIONS, type ProjectionModuleOptions } from './projection-definitions.provider';
export { prometheusProjectionMetrics } from './projection-metrics';
