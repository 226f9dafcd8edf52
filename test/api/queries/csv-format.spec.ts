import { negotiateFormat } from '../../../apps/api/src/queries/csv/accept';
import { neutralizeCell, toCsv, type CsvColumn } from '../../../apps/api/src/queries/csv/csv-table';
import { parseCsv } from './csv-parse';

interface Row {
  readonly text: string | null;
  readonly amount: number | null;
}

const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: 'text', value: (row) => row.text },
  { header: 'amount', value: (row) => row.amount },
];

describe('CSV of the read routes', () => {
  it('quotes as RFC 4180 says: commas, quotes (doubled) and any line break; CRLF between records', () => {
    const csv = toCsv(COLUMNS, [
      { text: 'Acme, Inc.', amount: 1 },
      { text: 'The "Best" Co', amount: 2 },
      { text: 'two\nlines', amount: 3 },
      { text: 'carriage\rreturn', amount: 4 },
      { text: 'plain', amount: null },
    ]);
    expect(csv).toBe('text,amount\r\n"Acme, Inc.",1\r\n"The ""Best"" Co",2\r\n"two\nlines",3\r\n"carriage\rreturn",4\r\nplain,\r\n');
    expect(parseCsv(csv)).toEqual([
      ['text', 'amount'], ['Acme, Inc.', '1'], ['The "Best" Co', '2'], ['two\nlines', '3'], ['carriage\rreturn', '4'], ['plain', ''],
    ]);
  });

  it('defuses text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    for (const formula of ['=1+1', '+SUM(A1:A9)', '-2+3', '@cmd', '\t=1', '\r=1', '=HYPERLINK("http://x","y")']) {
      expect(neutralizeCell(formula)).toBe(`'${formula}`);
    }
    expect(neutralizeCell(-3.5)).toBe(-3.5);
    expect(neutralizeCell('a=b')).toBe('a=b');
    expect(neutralizeCell(null)).toBe('');
    expect(neutralizeCell(Number.NaN)).toBe('');
    expect(toCsv(COLUMNS, [{ text: '=cmd|" /C calc"!A0', amount: -12 }])).toBe('text,amount\r\n"\'=cmd|"" /C calc""!A0",-12\r\n');
  });

  it('gives only a header row when there are no rows', () => {
    expect(toCsv(COLUMNS, [])).toBe('text,amount\r\n');
  });

  it.each([
    [undefined, 'json'],
    ['', 'json'],
    ['text/csv', 'csv'],
    ['TEXT/CSV; charset=utf-8', 'csv'],
    ['application/json', 'json'],
    ['*/*', 'json'],
    ['text/*', 'csv'],
    ['application/json, text/csv', 'json'],
    ['text/csv, */*;q=0.8', 'csv'],
    ['application/json;q=0.5, text/csv', 'csv'],
    ['text/csv;q=0.4, application/json', 'json'],
    ['text/csv;q=0, */*', 'json'],
    ['text/csv, */*', 'csv'],
    ['garbage', 'json'],
  ])('Accept %p → %s', (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});
