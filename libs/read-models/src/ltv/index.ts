export { bearsOnLtv, evolveLtvHistory, initialLtvHistory } from './ltv-history';
export { ltvKindOf, minorUnitsPerMajor, observeLtv } from './ltv-observation';
export { fitLtvModels, type LtvFitMeta } from './ltv-fit';
export { fitLtvModelsInWorker, startLtvFitWorker } from './ltv-fit.in-worker';
export { expectedLtv } from './expected-ltv';
export { LtvAccountNotOpenedError, ltvModelsProjection, type LtvModelsProjectionOptions } from './ltv-models.projection';
export { readLtvModels } from './ltv-models.queries';
export { LTV_CUSTOMERS, LTV_MODELS, LTV_MODELS_TABLES, ltvCustomersTable, ltvModelsTable } from './ltv-models.table';
export type * from './ltv.types';
