import type { SqlQueryable } from '@ahe/database';

/** The error a `failing` projection's building generation gets at every checkpoint move, as PostgreSQL reports it. */
export const CHECKPOINT_REFUSED = 'a generation being built may not move its checkpoint here';

export interface SpoiledProjections {
  /** Every checkpoint move of their generation being built raises CHECKPOINT_REFUSED: a batch no retry gets past. */
  readonly failing?: readonly string[];
  /**
   * Their building table gets `CHECK (false) NOT VALID`, as if added by hand, before any of its
   * batches writes (the checkpoint's move comes first): every event is parked, and the
   * generation is held.
   */
  readonly held?: readonly string[];
}

/**
 * Spoils the generations being built of the projections named, from a trigger on
 * `projection_generations` in `schema`; the serving generations are left alone. Resolves to
 * the function that drops the trigger again (the cause fixed).
 */
export async function spoilBuildingGenerations(sql: SqlQueryable, schema: string, { failing = [], held = [] }: SpoiledProjections): Promise<() => Promise<void>> {
  const list = (names: readonly string[]) => (names.length === 0 ? 'NULL' : names.map((name) => `'${name}'`).join(', '));
  await sql.query(`
    CREATE FUNCTION ${schema}.spoil_building_generation() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE target text := format('%I.%s__g%s', TG_TABLE_SCHEMA, NEW.name, NEW.generation);
    BEGIN
      IF NEW.name IN (${list(failing)}) THEN RAISE EXCEPTION '${CHECKPOINT_REFUSED}'; END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = target::regclass AND conname = 'refuse_every_row') THEN
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT refuse_every_row CHECK (false) NOT VALID', target);
      END IF;
      RETURN NEW;
    END $$`);
  await sql.query(`
    CREATE TRIGGER spoil_building_generation BEFORE UPDATE ON ${schema}.projection_generations FOR EACH ROW
    WHEN (NEW.name IN (${list([...failing, ...held])}) AND NEW.status = 'building' AND NEW.checkpoint_commit IS DISTINCT FROM OLD.checkpoint_commit)
    EXECUTE FUNCTION ${schema}.spoil_building_generation()`);
  return async () => {
    await sql.query(`DROP TRIGGER spoil_building_generation ON ${schema}.projection_generations`);
    await sql.query(`DROP FUNCTION ${schema}.spoil_building_generation()`);
  };
}
