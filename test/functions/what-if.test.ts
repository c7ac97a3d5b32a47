import { describe, expect, it } from 'vitest';
import type { Caller } from '#domain/access';
import { defaultProgrammeCosts } from '#domain/business-case';
import { municipalities } from '#domain/programme';
import { handler } from '../../functions/api/what-if.ts';
import { apiEvent, callers, lambdaContext } from './support.ts';

function get(caller: Caller, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return handler(
    apiEvent({
      method: 'GET',
      path: '/business-case/what-if',
      caller,
      queryStringParameters: { draws: '200', start: '2027-01-01', ...query },
      headers,
    }),
    lambdaContext,
  );
}

describe('GET /business-case/what-if', () => {
  it('answers the programme every municipality, both clusters and the programme, with seeded percentiles', async () => {
    // Act
    const response = await get(callers.programme, { seed: '9' });
    const again = await get(callers.programme, { seed: '9' });

    // Assess
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(body.whatIf).toMatchObject({ draws: 200, seed: 9, start: '2027-01-01', horizonYears: 5 });
    expect(body.whatIf.municipalities.map((m: { key: string }) => m.key)).toEqual(
      municipalities.map((m) => m.code),
    );
    expect(body.whatIf.clusters).toHaveLength(2);
    expect(body.whatIf.programme).toMatchObject({
      key: 'programme',
      citizens: 18,
      probabilityOfGain: expect.any(Number),
      p10Oere: expect.any(Number),
      p50Oere: expect.any(Number),
      p90Oere: expect.any(Number),
      histogram: expect.any(Array),
    });
    expect(JSON.parse(again.body).whatIf).toEqual(body.whatIf);
  });

  it('answers finance its own municipality only, with the figures the programme sees for it', async () => {
    // Act
    const own = JSON.parse((await get(callers.koldingFinance)).body);
    const all = JSON.parse((await get(callers.programme)).body);

    // Assess
    expect(own.whatIf.programme).toBeNull();
    expect(own.whatIf.clusters).toEqual([]);
    expect(own.whatIf.municipalities).toEqual(
      all.whatIf.municipalities.filter((m: { key: string }) => m.key === '621'),
    );
  });

  it('answers 404 for another municipality than finance’s own, as the business case does', async () => {
    // Act
    const response = await get(callers.koldingFinance, { municipality: '851' });

    // Assess
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body).errors).toEqual([
      { field: 'municipality', message: 'Der findes ingen business case, du har adgang til' },
    ]);
  });

  it('refuses a caseworker with 403', async () => {
    // Act
    const response = await get(callers.koldingCaseworker);

    // Assess
    expect(response.statusCode).toBe(403);
  });

  it('refuses bad query values with a Danish message per field', async () => {
    // Act
    const response = await get(callers.programme, {
      draws: '20001',
      seed: '-1',
      horizonYears: '11',
      start: '2027-02-30',
      costPerCitizen: 'mange',
    });

    // Assess
    expect(response.statusCode).toBe(400);
    const fields = JSON.parse(response.body).errors.map((e: { field: string; message: string }) => [
      e.field,
      e.message,
    ]);
    expect(fields).toEqual([
      ['draws', 'Antal trækninger (draws) skal være et helt tal fra 1 til 20000'],
      ['seed', 'Frø (seed) skal være et helt tal fra 0 til 4294967295'],
      ['horizonYears', 'Horisonten (horizonYears) skal være et helt antal år fra 1 til 10'],
      ['start', 'Startdato (start) skal være en gyldig dato (ÅÅÅÅ-MM-DD)'],
      ['costPerCitizen', 'Omkostning pr. borger (costPerCitizen) skal være hele kroner fra 0 til 10000000'],
    ]);
  });

  it('subtracts the programme costs when they are given (the full view)', async () => {
    // Act
    const pbr = JSON.parse((await get(callers.koldingFinance)).body);
    const full = JSON.parse(
      (await get(callers.koldingFinance, { costPerCitizen: '1000', costPerCompany: '500' })).body,
    );

    // Assess: Kolding's one place, one citizen and one company, DKK 1,500 in every draw.
    expect(full.whatIf.programmeCosts).toEqual({ perCitizenOere: 100_000, perCompanyOere: 50_000 });
    expect(full.whatIf.municipalities[0].p50Oere).toBe(pbr.whatIf.municipalities[0].p50Oere - 150_000);
  });

  it('sets the published programme costs against the savings in the full view, a given cost overriding its default', async () => {
    // Act
    const pbr = JSON.parse((await get(callers.koldingFinance, { view: 'pbr' })).body);
    const full = JSON.parse((await get(callers.koldingFinance, { view: 'full' })).body);
    const ownCitizenCost = JSON.parse((await get(callers.koldingFinance, { costPerCitizen: '1000' })).body);

    // Assess: one citizen and one company, each the published total's share (defaultProgrammeCosts).
    const published = defaultProgrammeCosts.perCitizenOere + defaultProgrammeCosts.perCompanyOere;
    expect(pbr.whatIf.programmeCosts).toBeNull();
    expect(full.whatIf.programmeCosts).toEqual(defaultProgrammeCosts);
    expect(full.whatIf.municipalities[0].p50Oere).toBe(pbr.whatIf.municipalities[0].p50Oere - published);
    expect(ownCitizenCost.whatIf.programmeCosts).toEqual({
      perCitizenOere: 100_000,
      perCompanyOere: defaultProgrammeCosts.perCompanyOere,
    });
  });

  it('refuses costs in the payments-only view with 400 on view, and an unknown view', async () => {
    // Act
    const withCosts = await get(callers.programme, { view: 'pbr', costPerCitizen: '1000' });
    const unknown = await get(callers.programme, { view: 'alt' });

    // Assess
    expect([withCosts.statusCode, unknown.statusCode]).toEqual([400, 400]);
    expect(JSON.parse(withCosts.body).errors).toEqual([
      { field: 'view', message: 'Programmets omkostninger indgår kun i den fulde visning (view=full)' },
    ]);
    expect(JSON.parse(unknown.body).errors).toEqual([
      { field: 'view', message: 'Visning (view) skal være pbr (kun resultatbetaling) eller full (fuld)' },
    ]);
  });

  it('answers the Danish page with the distribution chart, its title and description, and the table', async () => {
    // Act
    const response = await get(callers.programme, {}, { Accept: 'text/html' });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    const page = response.body;
    expect(page).toContain('<html lang="da">');
    expect(page).not.toContain('<script');
    expect(page).toContain('data-chart="municipalities"');
    expect(page).toContain('<title id="chart-municipalities-title">');
    expect(page).toContain('<desc id="chart-municipalities-desc">');
    for (const m of municipalities) {
      expect(page).toContain(`<g data-group="${m.code}">`);
      expect(page).toContain(`<tr data-group="${m.code}">`);
    }
    expect(page).toContain('<caption>Programmet</caption>');
    expect(page).toContain('Sandsynlighed for gevinst');
    expect(page).toContain('vores antagelse');
  });
});
