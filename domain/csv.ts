import { assertOere, type Oere } from './money.ts';

/**
 * CSV that Danish Excel opens correctly by double-click: Excel in a Danish locale splits on semicolons (the comma
 * is the decimal mark), reads the file as UTF-8 only when it starts with a byte-order mark (otherwise "Køge"
 * turns into mojibake), and reads "1234,50" as a number. Fields are quoted as RFC 4180 says, lines end in CRLF.
 */
export type CsvCell = string | number | null;

const BOM = '\uFEFF';
const SEPARATOR = ';';
const LINE_END = '\r\n';

/** A number as Danish Excel reads it: decimal comma, no thousands separator. */
function danishNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot write ${value} to CSV`);
  const text = String(Object.is(value, -0) ? 0 : value);
  // String() switches to exponent notation outside 1e-7..1e21, which Excel would read as text or misread.
  if (/e/i.test(text)) throw new RangeError(`Cannot write ${value} to CSV without exponent notation`);
  return text.replace('.', ',');
}

/** Text that reads as a plain Danish number ("-0,05", "1234,50", "12"): safe, whatever its first character. */
const PLAIN_NUMBER = /^-?\d+(,\d+)?$/;
/** First characters that make Excel treat a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text as a CSV field. Free text such as an employer's name is typed by users, and a cell beginning with "=",
 * "+", "-" or "@" runs as a formula when finance opens the file (CSV injection); such text is prefixed with an
 * apostrophe so Excel shows it as text. Plain numbers like "-0,05" are left alone.
 */
function textField(value: string): string {
  const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function field(value: CsvCell): string {
  if (value === null) return '';
  return typeof value === 'number' ? danishNumber(value) : textField(value);
}

/** The whole file: BOM, header, rows, each line ended by CRLF. Every row must have the header's width. */
export function danishCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const lines = [header, ...rows].map((row, i) => {
    if (row.length !== header.length) {
      throw new RangeError(`CSV row ${i} has ${row.length} fields, the header has ${header.length}`);
    }
    return row.map(field).join(SEPARATOR);
  });
  return BOM + lines.map((line) => line + LINE_END).join('');
}

/**
 * Øre as kroner with a decimal comma and two decimals, no thousands separator: 123450 → "1234,50",
 * -5 → "-0,05". Built from the digits, not by dividing, so no amount can come out as 1234,4999….
 */
export function kroner(oere: Oere): string {
  const digits = String(Math.abs(assertOere(oere))).padStart(3, '0');
  const sign = oere < 0 ? '-' : '';
  return `${sign}${digits.slice(0, -2)},${digits.slice(-2)}`;
}
