import fc from 'fast-check';
import { GENESIS_HASH } from '../hash-chain';
import { prepareBatch } from '../append-checks';
import { sealRows } from '../sealed-batch';
import { batchColumns, quotedElement } from './batch-columns';

const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
const sealed = sealRows('account-1', { revision: 4, hash: GENESIS_HASH }, prepareBatch('account-1', [
  { eventId: ids[0], type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { b: 'é"', a: 1 } },
  { eventId: ids[1], type: 'ContactLogged', schemaVersion: 2, occurredAt: '2026-01-02T00:00:00Z', data: [null], metadata: { actor: 'a' } },
]), new Date('2026-02-01T00:00:00Z'));
const lines = (text: string) => text.split('\n').map((line) => JSON.parse(line) as unknown);

describe('batchColumns', () => {
  it('writes the scalar columns as array literals and data and metadata one stored JSON text a line', () => {
    expect(batchColumns(sealed)).toEqual({
      eventIds: `{"${ids[0]}","${ids[1]}"}`,
      types: '{"NoteAdded","ContactLogged"}',
      schemaVersions: '{1,2}',
      occurredAts: '{"2026-01-01T00:00:00.000Z","2026-01-02T00:00:00.000Z"}',
      data: '{"a":1,"b":"é\\""}\n[null]',
      metadata: `${sealed[0]!.metadata}\n${sealed[1]!.metadata}`,
    });
    expect(lines(batchColumns(sealed).metadata)).toEqual([
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
    expect(columns).toMatchObject({ eventIds: `{"${ids[0]}"}`, schemaVersions: '{1}', revisions: '{5}', data: '{"a":1,"b":"é\\""}' });
    expect(columns.metadata).toBe(sealed[0]!.metadata);
  });

  it('keeps one line a row when the data holds line breaks: the stored JSON escapes them', () => {
    const breaking = sealRows('account-2', { revision: -1, hash: GENESIS_HASH }, prepareBatch('account-2', [
      { type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { text: 'one\ntwo\r\nthree\u2028four' }, metadata: { actor: 'x\ny' } },
      { type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { text: '' } },
    ]), new Date('2026-02-01T00:00:00Z'));
    const columns = batchColumns(breaking);
    expect(lines(columns.data)).toEqual([{ text: 'one\ntwo\r\nthree\u2028four' }, { text: '' }]);
    expect(lines(columns.metadata).map((metadata) => (metadata as { actor?: string }).actor)).toEqual(['x\ny', undefined]);
  });

  it('writes empty arrays for no rows', () => {
    expect(batchColumns([], true)).toEqual({
      eventIds: '{}', types: '{}', schemaVersions: '{}', occurredAts: '{}', recordedAts: '{}', revisions: '{}', data: '', metadata: '',
    });
  });

  it('quotes an element that may hold anything', () => {
    expect(quotedElement('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quotedElement('stream-1')).toBe('"stream-1"');
    // The same text as escaping every element, whether or not it holds a quote or a backslash.
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '"', '\\', ',', '{', ' ', 'é') }), (text) => quotedElement(text) === `"${text.replace(/[\\"]/g, '\\$&')}"`));
  });
});
