import type { NotCompared } from './replay-comparison';

/** A row that one side has and the other has not: its key, and the whole row (JSON). */
export interface UnmatchedRow {
  readonly key: Readonly<Record<string, unknown>>;
  readonly row: Readonly<Record<string, unknown>>;
}

export interface DifferingColumn {
  readonly column: string;
  readonly live: unknown;
  readonly replay: unknown;
}

/** A row both sides have under one key, with different values in `columns`. */
export interface DifferingRow {
  readonly key: Readonly<Record<string, unknown>>;
  readonly columns: readonly DifferingColumn[];
}

/** How many there are, and the first of them in key order (at most the run's `maxRows`). */
export interface Listed<T> {
  readonly count: number;
  readonly items: readonly T[];
}

export interface TableDiff {
  readonly table: string;
  readonly key: readonly string[];
  readonly liveRows: number;
  readonly replayRows: number;
  readonly onlyInLive: Listed<UnmatchedRow>;
  readonly onlyInReplay: Listed<UnmatchedRow>;
  readonly differing: Listed<DifferingRow>;
}

/** An event a projection threw on, set aside (projection_parked_events for the live side). */
export interface ParkedRecord {
  readonly eventId: string;
  readonly globalPosition: number;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly error: string;
}

export interface ParkedDiff {
  /** Parked by both: not a difference, listed because a parked event is a fact worth knowing. */
  readonly inBoth: Listed<ParkedRecord>;
  readonly onlyInLive: Listed<ParkedRecord>;
  readonly onlyInReplay: Listed<ParkedRecord>;
}

export interface ProjectionVerdict {
  readonly name: string;
  readonly version: string;
  /** Why there was nothing to compare with (no live generation, another version): not identical. */
  readonly unverifiable: string | null;
  readonly generation: number | null;
  /** `commit/prepare`: the prefix of the log both sides reflect (the live checkpoint when the run began). */
  readonly checkpoint: string | null;
  /** Events in the log past that checkpoint, which neither side was compared on. */
  readonly eventsPastCheckpoint: number;
  readonly eventsReplayed: number;
  readonly replaySeconds: number;
  /** Rows re-scored by the refresh at `comparedAt`, per side; null for projections not refreshed. */
  readonly rescored: { readonly live: number; readonly replay: number } | null;
  readonly tables: readonly TableDiff[];
  readonly parked: ParkedDiff;
  readonly identical: boolean;
}

export interface ReplayVerifyReport {
  readonly identical: boolean;
  /** The one instant both sides' time-based values were evaluated at. */
  readonly comparedAt: string;
  readonly projections: readonly ProjectionVerdict[];
  readonly notCompared: readonly NotCompared[];
}

export function tableIdentical(diff: TableDiff): boolean {
  return diff.onlyInLive.count === 0 && diff.onlyInReplay.count === 0 && diff.differing.count === 0;
}

export function parkedIdentical(parked: ParkedDiff): boolean {
  return parked.onlyInLive.count === 0 && parked.onlyInReplay.count === 0;
}
