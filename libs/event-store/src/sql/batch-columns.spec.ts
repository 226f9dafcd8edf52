import { GENESIS_HASH } from '../hash-chain';
import { prepareBatch, sealRows } from '../sealed-batch';
import { batchColumns, quotedElement } from './batch-columns';

const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
const sealed = sealRows('account-1', { revision: 4, hash: GENESIS_HASH }, prepareBatch('account-1', [
  { eventId: ids[0], type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { b: 'é"', a: 1 } },
  { eventId: ids[1], type: 'ContactLogged', schemaVersion: 2, occurredAt: '2026-01-02T00:00:00Z', data: [null], metadata: { actor: 'a' } },
]), new Date('2026-02-01T00:00:00Z'));

describe('batchColumns', () => {
  it('writes the scalar columns as array literals and data and metadata as JSON arrays of the stored text', () => {
    expect(batchColumns(sealed)).toEqual({
      eventIds: `{"${ids[0]}","${ids[1]}"}`,
      types: '{"NoteAdded","ContactLogged"}',
      schemaVersions: '{1,2}',
      occurredAts: '{"2026-01-01T00:00:00.000Z","2026-01-02T00:00:00.000Z"}',
      data: '[{"a":1,"b":"é\\""},[null]]',
      metadata: `[${sealed[0]!.metadata},${sealed[1]!.metadata}]`,
    });
    expect(JSON.parse(batchColumns(sealed).metadata)).toEqual([
      { hash: sealed[0]!.hash, previousHash: GENESIS_HASH },
      { actor: 'a', hash: sealed[1]!.hash, previousHash: sealed[0]!.hash },
    ]);
  });

  it('adds recording instants and revisions per row for the multi-stream insert', () => {
    const columns = batchColumns(sealed, true);
    expect(columns.recordedAts).toBe('{"2026-02-01T00:00:00.000Z","2026-02-01T00:00:00.000Z"}');
    expect(columns.revisions).toBe('{5,6}');
    expect(batchColumns(sealed)).not.toHaveProperty('revisions');
  });

  it('encloses a single row\'s column in both brackets', () => {
    const columns = batchColumns(sealed.slice(0, 1), true);
    expect(columns).toMatchObject({ eventIds: `{"${ids[0]}"}`, schemaVersions: '{1}', revisions: '{5}', data: '[{"a":1,"b":"é\\""}]' });
    expect(columns.metadata).toBe(`[${sealed[0]!.metadata}]`);
  });

  it('writes data and metadata one JSON text a line with jsonLines, as the import splits them', () => {
    const columns = batchColumns(sealed, true, true);
    expect(columns.data).toBe('{"a":1,"b":"é\\""}\n[null]');
    expect(columns.metadata.split('\n').map((line) => JSON.parse(line))).toEqual(sealed.map((row) => JSON.parse(row.metadata)));
    expect(columns.eventIds).toBe(batchColumns(sealed, true).eventIds);
  });

  it('writes empty arrays for no rows', () => {
    expect(batchColumns([], true)).toEqual({
      eventIds: '{}', types: '{}', schemaVersions: '{}', occurredAts: '{}', recordedAts: '{}', revisions: '{}', data: '[]', metadata: '[]',
    });
  });

  it('quotes an element that may hold anything', () => {
    expect(quotedElement('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});
