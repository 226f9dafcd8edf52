import { Readable } from 'node:stream';
import { numberedLines, type NumberedLine } from './ndjson-lines';

const collect = async (source: Parameters<typeof numberedLines>[0]) => {
  const lines: NumberedLine[] = [];
  for await (const line of numberedLines(source)) lines.push(line);
  return lines;
};

describe('numberedLines', () => {
  it('splits a byte stream on \\n and \\r\\n, skips blank lines but counts them, keeps a last line without \\n', async () => {
    const bytes = Buffer.from('\uFEFFa\r\n\n  \nb\nc');
    expect(await collect(Readable.from([bytes.subarray(0, 4), bytes.subarray(4)]))).toEqual([
      { line: 1, text: 'a' },
      { line: 4, text: 'b' },
      { line: 5, text: 'c' },
    ]);
  });

  it('decodes a multi-byte character split across chunks', async () => {
    const bytes = Buffer.from('{"name":"Zoë 👍"}\n');
    const chunks = Array.from(bytes, (byte) => Buffer.from([byte]));
    expect(await collect(Readable.from(chunks))).toEqual([{ line: 1, text: '{"name":"Zoë 👍"}' }]);
  });

  it('takes lines already split, from an array or an async generator', async () => {
    async function* lines() {
      yield 'x';
      yield '';
      yield 'y';
    }
    expect(await collect(['x', 'y'])).toEqual([{ line: 1, text: 'x' }, { line: 2, text: 'y' }]);
    expect(await collect(lines())).toEqual([{ line: 1, text: 'x' }, { line: 3, text: 'y' }]);
  });
});
