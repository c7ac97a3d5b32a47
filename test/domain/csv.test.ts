import { describe, expect, it } from 'vitest';
import { type CsvCell, danishCsv, kroner } from '#domain/csv';

describe('kroner for Danish Excel', () => {
  it.each([
    [123_450, '1234,50'],
    [-5, '-0,05'],
    [0, '0,00'],
    [-0, '0,00'],
    [7, '0,07'],
    [100, '1,00'],
    [-123_456, '-1234,56'],
    [4_733_186, '47331,86'],
    [Number.MAX_SAFE_INTEGER, '90071992547409,91'],
  ])('%i øre is %s', (oere, expected) => {
    expect(kroner(oere)).toBe(expected);
  });

  it.each([0.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s øre', (oere) => {
    expect(() => kroner(oere)).toThrow(RangeError);
  });
});

describe('CSV for Danish Excel', () => {
  it('starts with a BOM, separates by semicolons and ends every line with CRLF', () => {
    // Act
    const csv = danishCsv(['Kommune', 'Betalt (kr.)'], [['Køge', kroner(250_000)]]);
    // Assess
    expect(csv).toBe('\uFEFFKommune;Betalt (kr.)\r\nKøge;2500,00\r\n');
  });

  it.each<[string, CsvCell, string]>([
    ['plain text', 'Kolding', 'Kolding'],
    ['a semicolon', 'Bageri; Kolding', '"Bageri; Kolding"'],
    ['quotes', 'Bageriet "Hjørnet"', '"Bageriet ""Hjørnet"""'],
    ['a line feed', 'to\nlinjer', '"to\nlinjer"'],
    ['a carriage return', 'to\rlinjer', '"to\rlinjer"'],
    ['a comma (no need to quote)', 'Hansen, Anna', 'Hansen, Anna'],
    ['null', null, ''],
    ['an empty string', '', ''],
    ['an integer', 1234567, '1234567'],
    ['a decimal', 1234.5, '1234,5'],
    ['a negative decimal', -0.05, '-0,05'],
    ['negative zero', -0, '0'],
    ['a formula', '=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['a plus sign', '+45 12345678', "'+45 12345678"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading minus that is no number', '-1+2', "'-1+2"],
    ['a negative amount in kroner', '-0,05', '-0,05'],
  ])('writes %s as %s', (_label, value, expected) => {
    // Act
    const csv = danishCsv(['x'], [[value]]);
    // Assess
    expect(csv).toBe(`\uFEFFx\r\n${expected}\r\n`);
  });

  it('quotes a header field too', () => {
    expect(danishCsv(['a;b', 'c'], [])).toBe('\uFEFF"a;b";c\r\n');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 1e21, 1e-7])('refuses the number %s', (value) => {
    expect(() => danishCsv(['x'], [[value]])).toThrow(RangeError);
  });

  it('refuses a row that does not match the header', () => {
    expect(() => danishCsv(['a', 'b'], [['1']])).toThrow(/row 1 has 1 fields/);
  });
});
