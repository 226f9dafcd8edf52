import { GcWatch } from './gc-watch';

/** Short-lived garbage: enough to fill any young generation many times over. */
function churn(megabytes: number): number {
  let kept = 0;
  for (let index = 0; index < megabytes * 1024; index++) kept += new Array(128).fill(index).length;
  return kept;
}

describe('GcWatch', () => {
  it('counts the scavenges from restart on: many under churn, the counts cleared by the next restart', async () => {
    const watch = new GcWatch();
    try {
      watch.restart();
      churn(1024);
      const busy = await watch.settled();
      expect(busy.scavenges.count).toBeGreaterThan(4);
      expect(busy.scavenges.maxMs).toBeGreaterThan(0);
      expect(busy.scavenges.totalMs).toBeGreaterThanOrEqual(busy.scavenges.maxMs);
      // Nothing churned since: what little the process allocates meanwhile is far from the churn's count.
      watch.restart();
      const quiet = await watch.settled();
      expect(quiet.scavenges.count).toBeLessThan(busy.scavenges.count / 2);
    } finally {
      watch.close();
    }
  });
});
