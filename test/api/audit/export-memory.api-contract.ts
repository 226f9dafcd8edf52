import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { freshAccountId, type Backend } from '../api-harness';
import { download } from './export-download';
import { appendContacts, startAuditApi, type AuditApi } from './trail.harness';

const EVENTS = 100_000;
/** Sample the heap each time this much more has arrived. */
const SAMPLE_EVERY_BYTES = 1 << 20;

/**
 * A full collection on demand, so that a sample measures what is live (what the export holds)
 * rather than garbage not yet collected. jest runs without --expose-gc; the flag can still be
 * turned on at run time and the function fetched from a fresh context.
 */
function collector(): () => void {
  if (typeof global.gc === 'function') return global.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** The export of one stream of 100,000 events, its heap measured, on either store. */
export function describeExportMemory(backend: Backend): void {
  let api: AuditApi;
  const accountId = freshAccountId('huge');
  beforeAll(async () => {
    api = await startAuditApi(backend, { LOG_LEVEL: 'warn' });
    const started = performance.now();
    await appendContacts(api.store, accountId, EVENTS, 2_000);
    console.log(`${backend}: appended ${EVENTS.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
  afterAll(() => api.close());

  const exportUrl = () => `${api.url}/v1/accounts/${accountId}/export`;
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

  /** Downloads the export, checking that line n holds revision n. */
  async function exportInOrder(onBytes?: (bytes: number) => void) {
    let lines = 0;
    let outOfOrder = 0;
    const result = await download(exportUrl(), (line) => {
      if ((JSON.parse(line) as { revision: number }).revision !== lines) outOfOrder++;
      lines++;
    }, {}, onBytes);
    return { ...result, lines, outOfOrder };
  }

  it('streams every event, in revision order (measured: size and time)', async () => {
    const started = performance.now();
    const result = await exportInOrder();
    const seconds = (performance.now() - started) / 1000;
    console.log(`${backend}: export of ${result.lines.toLocaleString('en')} events: ${mb(result.bytes)} in ${seconds.toFixed(1)} s`);
    expect({ status: result.status, complete: result.complete, lines: result.lines, outOfOrder: result.outOfOrder })
      .toEqual({ status: 200, complete: true, lines: EVENTS, outOfOrder: 0 });
  });

  it('keeps the heap of the process far below the size of the export while streaming it', async () => {
    const gc = collector();
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let samples = 0;
    let nextSample = SAMPLE_EVERY_BYTES;
    const result = await exportInOrder((bytes) => {
      if (bytes < nextSample) return;
      nextSample = bytes + SAMPLE_EVERY_BYTES;
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      samples++;
    });
    const growth = peak - baseline;
    console.log(
      `${backend}: heap during the export (${samples} samples after a full collection): baseline ${mb(baseline)}, peak ${mb(peak)}, ` +
        `growth ${mb(growth)} = ${((100 * growth) / result.bytes).toFixed(1)}% of the ${mb(result.bytes)} exported`,
    );
    expect({ complete: result.complete, lines: result.lines, outOfOrder: result.outOfOrder }).toEqual({ complete: true, lines: EVENTS, outOfOrder: 0 });
    expect(samples).toBeGreaterThan(20);
    expect(growth).toBeLessThan(result.bytes / 4);
  });
}
