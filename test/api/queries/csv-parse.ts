/** A strict RFC 4180 reader for the specs: quoted cells may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"' && cell === '') {
      const end = closingQuote(text, index + 1);
      cell = text.slice(index + 1, end).replace(/""/g, '"');
      index = end + 1;
      if (index < text.length && text[index] !== ',' && !text.startsWith('\r\n', index)) throw new Error(`text after a closing quote at ${index}`);
      continue;
    }
    if (char === ',') {
      record.push(cell);
      cell = '';
      index += 1;
    } else if (text.startsWith('\r\n', index)) {
      records.push([...record, cell]);
      record = [];
      cell = '';
      index += 2;
    } else {
      if (char === '"' || char === '\n' || char === '\r') throw new Error(`unquoted ${JSON.stringify(char)} at ${index}`);
      cell += char;
      index += 1;
    }
  }
  if (cell !== '' || record.length > 0) throw new Error('the last record does not end with CRLF');
  return records;
}

function closingQuote(text: string, from: number): number {
  for (let index = from; index < text.length; index++) {
    if (text[index] !== '"') continue;
    if (text[index + 1] === '"') index += 1;
    else return index;
  }
  throw new Error('unterminated quoted cell');
}
