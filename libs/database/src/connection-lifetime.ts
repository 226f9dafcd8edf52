/**
 * PostgreSQL keeps a named statement's generic plan for the connection's life and re-plans it
 * only after an ANALYZE or DDL on its tables. Where autovacuum is off or behind, a plan made
 * while a table was nearly empty (a sequential scan) outlives the table's growth: the group
 * commit's append, prepared on an empty event_streams, scanned all 100,000 heads of the grown
 * table, 21 ms a group against 0.4 ms planned for it. A new connection plans for the tables as
 * they are then; reconnecting every ten minutes costs next to nothing.
 */
export const CONNECTION_LIFETIME_S = 600;
/**
 * Each connection's lifetime is drawn between this share of the lifetime and all of it, so the
 * connections of a pool, opened together as it grew, are not all replaced in the same second:
 * a new connection's first statements are planned anew and its backend loads its catalog caches
 * (20-100 ms for the list queries), and ten of them at once stalled every request for as long.
 */
const LIFETIME_SPREAD = 0.9;

/** A connection's lifetime in whole seconds (pg-pool's unit), drawn from [spread × lifetime, lifetime]; 0 stays 0 (no limit). */
export function connectionLifetime(lifetimeSeconds: number, random: number = Math.random()): number {
  if (lifetimeSeconds === 0) return 0;
  return Math.max(1, Math.round(lifetimeSeconds * (LIFETIME_SPREAD + (1 - LIFETIME_SPREAD) * random)));
}
