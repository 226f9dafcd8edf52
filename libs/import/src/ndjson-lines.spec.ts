import { Readable } from 'node:stream';
import { InvalidImportLineError } from './import.errors';
import { MAX_LINE_CHARS, numberedLines, type NumberedLine } from './ndjson-lines';

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

  it('refuses a line longer than MAX_LINE_CHARS at its number, without reading the rest of the source', async () => {
    const piece = Buffer.alloc(256 * 1024, 'x');
    let piecesRead = 0;
    function* notNdjson() {
      yield Buffer.from('{"a":1}\n\n[');
      for (let index = 0; index < 1_000; index++) {
        piecesRead += 1;
        yield piece;
      }
    }
    const failure = await collect(Readable.from(notNdjson())).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidImportLineError);
    expect(failure).toMatchObject({ line: 3, code: 'LINE_TOO_LONG' });
    expect((failure as Error).message).toMatch(/^line 3: is longer than 1,048,576 characters/);
    expect(piecesRead).toBeLessThan(10);
  });

  it('takes a line of exactly MAX_LINE_CHARS, ended or not', async () => {
    const longest = 'y'.repeat(MAX_LINE_CHARS);
    const chunks = [Buffer.from(`${longest}\n`), Buffer.from(longest)];
    expect((await collect(Readable.from(chunks))).map(({ line, text }) => [line, text.length])).toEqual([[1, MAX_LINE_CHARS], [2, MAX_LINE_CHARS]]);
  });
});
