import type { ProjectionTable } from '@ahe/projections';

export const ACCOUNT_HEALTH = 'account_health';

/**
 * One row per account, in plain column types a BI tool reads as they are. The indexes serve
 * the API's filters, each with the default sort (riskiest first) and account_id as the
 * tie-breaker that keyset pagination needs; rescore_at serves the refresh.
 */
export const accountHealthTable: ProjectionTable = {
  name: ACCOUNT_HEALTH,
  ddl: (table) => `
    CREATE TABLE ${table} (
      account_id text NOT NULL,
      name text NOT NULL,
      segment text NOT NULL,
      manager_id text NOT NULL,
      currency text NOT NULL,
      status text NOT NULL,
      churn_risk integer NOT NULL,
      band text NOT NULL,
      factors jsonb NOT NULL,
      satisfaction_latest numeric,
      satisfaction_mean90d numeric,
      satisfaction_trend numeric,
      satisfaction_arrow text NOT NULL,
      ltv_realized bigint NOT NULL,
      ltv_expected bigint NOT NULL,
      ltv_total bigint NOT NULL,
      ltv_model text NOT NULL,
      ltv_fit text,
      open_complaints integer NOT NULL,
      overdue_invoices integer NOT NULL,
      days_since_last_contact integer,
      last_contact_at timestamptz,
      renewal_date date,
      annual_value bigint NOT NULL,
      scoring_version text NOT NULL,
      revision integer NOT NULL,
      position bigint NOT NULL,
      updated_at timestamptz NOT NULL,
      scored_at timestamptz NOT NULL,
      rescore_at timestamptz,
      facts json NOT NULL,
      CONSTRAINT ${table}_pkey PRIMARY KEY (account_id),
      CONSTRAINT ${table}_status_check CHECK (status IN ('open', 'churned', 'closed')),
      CONSTRAINT ${table}_band_check CHECK (band IN ('green', 'amber', 'red'))
    );
    CREATE INDEX ${table}_band_idx ON ${table} (band, churn_risk DESC, account_id);
    CREATE INDEX ${table}_manager_idx ON ${table} (manager_id, churn_risk DESC, account_id);
    CREATE INDEX ${table}_segment_idx ON ${table} (segment, churn_risk DESC, account_id);
    CREATE INDEX ${table}_risk_idx ON ${table} (churn_risk DESC, account_id);
    CREATE INDEX ${table}_rescore_idx ON ${table} (rescore_at);
  `,
};
