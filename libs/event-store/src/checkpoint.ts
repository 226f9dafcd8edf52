import type { Checkpoint } from './event-store.port';

/** `commit/prepare`, e.g. `812/40213`: how checkpoints travel in JSON, logs and URLs. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  return `${checkpoint.commit}/${checkpoint.prepare}`;
}

export function parseCheckpoint(text: string): Checkpoint {
  const match = /^(\d{1,20})\/(\d{1,20})$/.exec(text);
  if (!match) throw new RangeError(`not a checkpoint: ${JSON.stringify(text)}`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}

export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
