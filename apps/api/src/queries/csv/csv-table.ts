import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvColumn<Row> {
  readonly header: string;
  readonly value: (row: Row) => CsvCell;
}

/**
 * Characters that make Excel, LibreOffice or Sheets read a cell as a formula (OWASP "CSV
 * injection"); tab and carriage return too, which some of them skip before looking.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that a spreadsheet would run as a formula gets a leading apostrophe, which the
 * spreadsheet shows as text. Numbers are left alone: -3 is data, not a formula, and must stay
 * a number for whoever sums the column.
 */
export function neutralizeCell(cell: CsvCell): string | number {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * RFC 4180: a header row, CRLF line ends, quotes only where a cell needs them (`"` doubled).
 * csv-stringify quotes a cell holding the record delimiter (CRLF) but not a lone CR or LF,
 * which still break a row for most readers: quoted_match covers them.
 */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const records = [
    columns.map((column) => column.header),
    ...rows.map((row) => columns.map((column) => neutralizeCell(column.value(row)))),
  ];
  return stringify(records, { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}
