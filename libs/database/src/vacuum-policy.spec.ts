import { chooseVacuum, reasonFor, type TableUpkeepState, type VacuumThresholds } from './vacuum-policy';

/** PostgreSQL 18's defaults. */
const DEFAULTS: VacuumThresholds = {
  vacuumBase: 50,
  vacuumScale: 0.2,
  vacuumMax: 100_000_000,
  insertBase: 1000,
  insertScale: 0.2,
  analyzeBase: 50,
  analyzeScale: 0.1,
  freezeMaxAge: 200_000_000,
  multixactFreezeMaxAge: 400_000_000,
};

const table = (state: Partial<TableUpkeepState>): TableUpkeepState => ({
  target: 'public.t',
  xidAge: 0,
  multixactAge: 0,
  liveRowsEstimate: 10_000,
  pages: 100,
  allFrozenPages: 0,
  deadRows: 0,
  insertsSinceVacuum: 0,
  changesSinceAnalyze: 0,
  analyzable: true,
  ...state,
});

describe("vacuum policy (autovacuum's rules)", () => {
  it('is due for dead rows past base + scale × rows, strictly, counting a never-analyzed table (-1 rows) as empty', () => {
    expect(reasonFor(table({ deadRows: 2050 }), DEFAULTS)).toBeUndefined();
    expect(reasonFor(table({ deadRows: 2051 }), DEFAULTS)).toBe('dead_rows');
    expect(reasonFor(table({ liveRowsEstimate: -1, deadRows: 51 }), DEFAULTS)).toBe('dead_rows');
    expect(reasonFor(table({ liveRowsEstimate: -1, deadRows: 50 }), DEFAULTS)).toBeUndefined();
  });

  it('caps the dead-row threshold of a big table at autovacuum_vacuum_max_threshold', () => {
    const huge = table({ liveRowsEstimate: 1e9, deadRows: 100_000_001 });
    expect(reasonFor(huge, DEFAULTS)).toBe('dead_rows');
    expect(reasonFor(huge, { ...DEFAULTS, vacuumMax: Infinity })).toBeUndefined();
  });

  it('counts inserts against the unfrozen part of the table, and not at all when the insert threshold is -1', () => {
    expect(reasonFor(table({ insertsSinceVacuum: 3001 }), DEFAULTS)).toBe('inserts');
    expect(reasonFor(table({ insertsSinceVacuum: 3000 }), DEFAULTS)).toBeUndefined();
    // Nine tenths frozen: the threshold is 1000 + 0.2 × 10,000 × 0.1.
    expect(reasonFor(table({ insertsSinceVacuum: 1201, allFrozenPages: 90 }), DEFAULTS)).toBe('inserts');
    expect(reasonFor(table({ insertsSinceVacuum: 1_000_000 }), { ...DEFAULTS, insertBase: -1 })).toBeUndefined();
  });

  it('is due for statistics past base + scale × rows, except a table ANALYZE skips', () => {
    expect(reasonFor(table({ changesSinceAnalyze: 1051 }), DEFAULTS)).toBe('statistics');
    expect(reasonFor(table({ changesSinceAnalyze: 1050 }), DEFAULTS)).toBeUndefined();
    expect(reasonFor(table({ changesSinceAnalyze: 1_000_000, analyzable: false }), DEFAULTS)).toBeUndefined();
  });

  it('puts the wraparound first, for transaction ids or multixact ids, whatever else is due', () => {
    expect(reasonFor(table({ xidAge: 200_000_001, deadRows: 1e6 }), DEFAULTS)).toBe('wraparound');
    expect(reasonFor(table({ multixactAge: 400_000_001 }), DEFAULTS)).toBe('wraparound');
    expect(reasonFor(table({ xidAge: 200_000_000, multixactAge: 400_000_000 }), DEFAULTS)).toBeUndefined();
  });

  it('chooses by reason first, then by the most waiting, and says what to run', () => {
    const tables = [
      table({ target: 'public.analyze_me', changesSinceAnalyze: 1e6 }),
      table({ target: 'public.few_dead', deadRows: 3000 }),
      table({ target: 'public.many_dead', deadRows: 9000 }),
    ];
    expect(chooseVacuum(tables, DEFAULTS)).toEqual({ target: 'public.many_dead', reason: 'dead_rows', statement: 'VACUUM public.many_dead' });
    expect(chooseVacuum([tables[0]!], DEFAULTS)).toEqual({ target: 'public.analyze_me', reason: 'statistics', statement: 'ANALYZE public.analyze_me' });
    expect(chooseVacuum([...tables, table({ target: 'public.old', xidAge: 3e8 })], DEFAULTS)).toEqual({
      target: 'public.old',
      reason: 'wraparound',
      statement: 'VACUUM (FREEZE) public.old',
    });
    expect(chooseVacuum([table({})], DEFAULTS)).toBeUndefined();
  });
});
