import type { ProjectionTable } from '@ahe/projections';

export const LTV_MODELS = 'ltv_models';
export const LTV_CUSTOMERS = 'ltv_customers';

/**
 * One row per account: its LTV history as folded so far, so a refit observes every account at
 * the fit's instant without reading the log. `revision` is the stream revision of the last
 * event that changed the history: an event at or below it was already folded.
 */
export const ltvCustomersTable: ProjectionTable = {
  name: LTV_CUSTOMERS,
  ddl: (table) => `
    CREATE TABLE ${table} (
      account_id text NOT NULL,
      segment text NOT NULL,
      kind text NOT NULL,
      history jsonb NOT NULL,
      revision integer NOT NULL,
      position bigint NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT ${table}_pkey PRIMARY KEY (account_id),
      CONSTRAINT ${table}_kind_check CHECK (kind IN ('contractual', 'purchases', 'none'))
    );
    -- "is there data past the current fit?" on every refresh tick, without a scan.
    CREATE INDEX ${table}_position_idx ON ${table} (position);
  `,
};

/**
 * The current fit: one row per fitted model, all from the same refit (same fit_id), replaced
 * together. segment is '' for the portfolio-wide BG/NBD and Gamma-Gamma fits. A fit that was
 * refused (docs/analytics.md) keeps its row with the reason in `rejection`, and no figures.
 */
export const ltvModelsTable: ProjectionTable = {
  name: LTV_MODELS,
  ddl: (table) => `
    CREATE TABLE ${table} (
      model text NOT NULL,
      segment text NOT NULL,
      params jsonb NOT NULL,
      n integer,
      log_likelihood float8,
      rejection text,
      as_of timestamptz NOT NULL,
      fitted_at timestamptz NOT NULL,
      position bigint NOT NULL,
      fit_id text NOT NULL,
      CONSTRAINT ${table}_pkey PRIMARY KEY (model, segment),
      CONSTRAINT ${table}_model_check CHECK (model IN ('sbg', 'bgnbd', 'gamma-gamma')),
      CONSTRAINT ${table}_figures_check CHECK ((rejection IS NULL) = (n IS NOT NULL AND log_likelihood IS NOT NULL))
    );
  `,
};

export const LTV_MODELS_TABLES: readonly ProjectionTable[] = [ltvCustomersTable, ltvModelsTable];
