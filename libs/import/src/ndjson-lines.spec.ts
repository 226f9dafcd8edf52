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

  describe('bytes that are not UTF-8', () => {
    const refusal = (chunks: Buffer[]) => collect(Readable.from(chunks)).then(() => undefined, (error: unknown) => error);
    const latin1Line3 = Buffer.concat([Buffer.from('{"a":1}\n\n{"name":"Caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"b":2}\n')]);

    it('refuses them as INVALID_UTF8 at the line they are in, however the chunks cut the bytes', async () => {
      for (const size of [1, 2, 5, 17, latin1Line3.length]) {
        const chunks: Buffer[] = [];
        for (let at = 0; at < latin1Line3.length; at += size) chunks.push(latin1Line3.subarray(at, at + size));
        const failure = await refusal(chunks);
        expect(failure).toBeInstanceOf(InvalidImportLineError);
        expect(failure).toMatchObject({ line: 3, code: 'INVALID_UTF8', message: expect.stringMatching(/^line 3: is not valid UTF-8/) });
      }
    });

    it('hands on the lines before the bad one first, so an earlier invalid line can be named', async () => {
      const lines: NumberedLine[] = [];
      const failure = await (async () => {
        for await (const line of numberedLines(Readable.from([latin1Line3]))) lines.push(line);
      })().then(() => undefined, (error: unknown) => error);
      expect(lines).toEqual([{ line: 1, text: '{"a":1}' }]);
      expect(failure).toMatchObject({ line: 3, code: 'INVALID_UTF8' });
    });

    it.each([
      ['a character cut off at the end of the source', [Buffer.from('{"a":1}\n{"b":"'), Buffer.from([0xf0, 0x9f, 0x91])], 2],
      ['a character cut off by a line break', [Buffer.from([0x7b, 0xc3]), Buffer.from('\n{}\n')], 1],
      ['an encoded surrogate', [Buffer.from('{}\n{}\n{}\n{"x":"'), Buffer.from([0xed, 0xa0, 0x80, 0x22, 0x7d, 0x0a])], 4],
      ['a bad byte after a character split across chunks', [Buffer.from([0x7b, 0xf0, 0x9f]), Buffer.from([0x91, 0x8d, 0x7d, 0x0a, 0x7b, 0x7d, 0x0a, 0x7b, 0xff, 0x7d, 0x0a])], 3],
      ['an overlong encoding', [Buffer.from('{}\n'), Buffer.from([0xc0, 0xaf, 0x0a])], 2],
    ])('refuses %s', async (_case, chunks, line) => {
      expect(await refusal(chunks)).toMatchObject({ line, code: 'INVALID_UTF8' });
    });
  });
});
