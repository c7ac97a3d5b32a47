import { describe, expect, it } from 'vitest';
import type { MonthPoint } from '#domain/business-case';
import { defaultSavingsAssumptions } from '#domain/savings';
import { businessCaseReport } from '#shared/business-case-data';
import { businessCaseCsv, businessCasePage, lineChart } from '#shared/business-case-page';
import { niceStep } from '#shared/chart-scale';
import { callers } from './support.ts';

const series: MonthPoint[] = Array.from({ length: 24 }, (_, i) => ({
  month: `${2027 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
  cumulativePaidOere: i >= 1 ? 1_500_000 : 0,
  cumulativeSavedOere: i * 200_000,
}));

describe('niceStep', () => {
  it.each([
    [0, 1_000],
    [4, 1_000],
    [4_001, 2_000],
    [35_000, 10_000],
    [40_000, 10_000],
    [41_000, 20_000],
    [90_000, 25_000],
    [1_000_000, 250_000],
    [1_000_001, 500_000],
  ])('splits %i kr. in steps of %i kr.', (max, step) => {
    expect(niceStep(max)).toBe(step);
  });
});

describe('lineChart', () => {
  const svg = String(
    lineChart({ id: '621', title: 'Kolding', series, paybackMonth: 9, width: 360, height: 240 }),
  );

  it('labels the y-axis in whole kroner, da-DK, from 0 to a round top above the data', () => {
    // 46,000 kr. saved at most: steps of 20,000 kr. up to 60,000 kr.
    for (const label of ['0\u00a0kr.', '20.000\u00a0kr.', '40.000\u00a0kr.', '60.000\u00a0kr.']) {
      expect(svg).toContain(`>${label}</text>`);
    }
    expect(svg).toContain('Kumuleret beløb (kr.)');
  });

  it('labels months in Danish and draws both series with a legend', () => {
    expect(svg).toContain('>jan. 2027</text>');
    expect(svg).toContain('>Betalt</text>');
    expect(svg).toContain('>Kommunal besparelse</text>');
    expect(svg.match(/<polyline data-series="paid" points="([^"]+)"/)?.[1]?.split(' ')).toHaveLength(24);
    expect(svg.match(/<polyline data-series="saved" points="([^"]+)"/)?.[1]?.split(' ')).toHaveLength(24);
  });

  it('marks the payback month, and only when there is one', () => {
    expect(svg).toContain('>Tilbagebetalt</text>');
    const none = String(
      lineChart({ id: 'x', title: 'x', series, paybackMonth: null, width: 360, height: 240 }),
    );
    expect(none).not.toContain('Tilbagebetalt');
  });

  it('escapes every text it is given', () => {
    // Act
    const hostile = String(
      lineChart({
        id: '"><script>',
        title: '<img src=x onerror=alert(1)>',
        series,
        paybackMonth: null,
        width: 360,
        height: 240,
      }),
    );

    // Assess
    expect(hostile).not.toContain('<script>');
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('draws an empty programme without dividing by zero', () => {
    const flat = series.map((p) => ({ ...p, cumulativePaidOere: 0, cumulativeSavedOere: 0 }));
    const empty = String(
      lineChart({ id: 'p', title: 'p', series: flat, paybackMonth: null, width: 360, height: 240 }),
    );
    expect(empty).not.toContain('NaN');
    expect(empty).not.toContain('Infinity');
  });
});

describe('the business case page and CSV without data', () => {
  const report = businessCaseReport(
    { pathways: [], payments: [] },
    { horizonYears: 1, assumptions: defaultSavingsAssumptions },
    new Date('2026-11-26T10:00:00Z'),
  );

  it('shows every group with "nej" and no payback', () => {
    // Act
    const page = String(businessCasePage('', callers.programme, report));

    // Assess
    expect(page).toContain('<tr data-group="programme">');
    expect(page).toContain('ikke inden for horisonten');
    expect(page).not.toContain('>ja<');
    expect(page).toContain('fra nov. 2026 til og med okt. 2027');
    expect(page).not.toContain('NaN');
  });

  it('writes zeros with a decimal comma', () => {
    // Act
    const csv = businessCaseCsv(report);

    // Assess
    expect(csv.split('\r\n')[1]).toBe(
      // No citizens yet, but the accelerator's 18 companies cost 18 × 948,689.14 in the full view.
      'Programmet;programme;Social inklusion gennem Vækstpartnerskaber;18;0;0,00;0,00;0,00;17076404,52;0,00;0,00;0,00;0,00;;0,00;–;-17076404,52;;0,00;–;bekræftet;' +
        '0;0,00;0,00;0,00;0,00;0,00;0;0,00;0,00;0,00;0,00;0,00',
    );
  });
});
