import type { Listed, ParkedDiff, ParkedRecord } from './replay-report';

/**
 * Parked events matched by event id. The error texts are not compared: they may name a
 * physical table (`account_health__g3` live, `account_health__rv` here) or a constraint.
 */
export function diffParked(live: readonly ParkedRecord[], replay: readonly ParkedRecord[], maxRows: number): ParkedDiff {
  const liveIds = new Set(live.map((event) => event.eventId));
  const replayIds = new Set(replay.map((event) => event.eventId));
  return {
    inBoth: listed(replay.filter((event) => liveIds.has(event.eventId)), maxRows),
    onlyInLive: listed(live.filter((event) => !replayIds.has(event.eventId)), maxRows),
    onlyInReplay: listed(replay.filter((event) => !liveIds.has(event.eventId)), maxRows),
  };
}

function listed(events: readonly ParkedRecord[], maxRows: number): Listed<ParkedRecord> {
  const ordered = [...events].sort((a, b) => a.globalPosition - b.globalPosition);
  return { count: ordered.length, items: ordered.slice(0, maxRows) };
}
