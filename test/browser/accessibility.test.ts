import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, cpr, startSystem } from '../integration/local-system.ts';
import { launchChromium, signedIn } from './support.ts';

/**
 * Every page meets WCAG 2.1 AA as far as axe-core can tell (the Danish public sector's web accessibility law
 * requires it): each role signs in through the login page in Debian's chromium, opens every page its menu offers
 * and a pathway with every form on it, and axe-core (WCAG 2.0/2.1 A and AA rules) finds nothing. The pages forbid
 * scripts (Content-Security-Policy), so axe is evaluated through the DevTools protocol in a context that bypasses it;
 * nothing on the pages themselves changes.
 */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let runtime: LocalRuntime;
let api: Api;
let browser: Browser;
let referralId: string;

/** A Kolding company in the 2019 cohort, so that the companies' pages have a journey and every form. */
const COMPANY = '12345674';

beforeAll(async () => {
  // Before the 2019 cohort's boot camp (15 November 2018), so that a company can run through it.
  ({ runtime, api } = await startSystem('WARN', { startDate: '2018-11-01' }));
  browser = await launchChromium();
  const accelerator = api.as({ role: 'accelerator', municipality: '621' });
  await accelerator.request('POST', '/companies', {
    cvr: COMPANY,
    name: 'Genbrugsværkstedet ApS',
    contactName: 'Mette Holm',
    socialEconomy: 'registered',
    size: 'small',
  });
  await accelerator.request('POST', '/partnership/plan', {
    basedOnVersion: 0,
    needs: [{ partner: 'Fonden', needs: 'Et fælles billede af virksomhedernes behov' }],
    roles: [{ partner: 'Beskæftigelsesaktøren', role: 'Ét kontaktpunkt' }],
    contacts: [{ partner: 'Fonden', name: 'Lise Juhl' }],
    reviewDates: ['2019-06-01'],
  });
  await accelerator.request('POST', `/cohorts/cluster-1-2019/companies`, { cvr: COMPANY });
  await api.advance(15);
  await accelerator.request('POST', `/companies/${COMPANY}/journey/selection`, {
    cohortId: 'cluster-1-2019',
    selected: true,
  });
  // Into 2019, where the rate card prices the pathway's results.
  await api.advance(52);
  // A Kolding pathway with a payment and an open 13-week milestone, so that every list, chart and form has content.
  const referral = await api.refer({ cpr: cpr(3), name: 'Anna Axe', startDate: await api.today() });
  referralId = String(referral.json.referralId);
  await runtime.settle();
  await api.request('POST', `/referrals/${referralId}/outcomes`, {
    type: 'job-start',
    date: await api.today(),
    hoursPerWeek: 37,
    employer: 'Kolding Bageri ApS',
  });
  await runtime.settle();
  await api.advance(91);
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** A fresh profile (its CSP bypassed for axe), signed in through the login page as `username`, or not at all. */
async function pageAs(username?: string): Promise<Page> {
  if (username) return signedIn(browser, api.url, username, { bypassCSP: true });
  const context = await browser.newContext({ bypassCSP: true });
  return context.newPage();
}

/** Runs axe-core in the page (the DevTools protocol evaluates it, so the page's own CSP does not stop it). */
async function runAxe(page: Page): Promise<axe.AxeResults> {
  await page.evaluate(axe.source);
  return page.evaluate<axe.AxeResults>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} } })`,
  );
}

/** axe-core's WCAG A/AA violations of the page at `path`, each as "rule: target (summary)". */
async function violationsAt(page: Page, path: string): Promise<string[]> {
  const response = await page.goto(`${api.url}${path}`);
  expect(response?.status(), path).toBe(200);
  const results = await runAxe(page);
  return results.violations.flatMap((v) =>
    v.nodes.map((node) => `${path} ${v.id}: ${node.target.join(' ')} (${v.help})`),
  );
}

const pagesOf = (id: () => string): Record<string, string[]> => ({
  'kolding-sagsbehandler': [
    '/',
    '/referrals/new',
    '/tasks',
    '/referrals',
    `/referrals/${id()}`,
    '/dashboard',
  ],
  'kolding-aktoer': [
    '/',
    '/tasks',
    '/referrals',
    `/referrals/${id()}`,
    '/dashboard',
    '/partnership',
    `/companies/${COMPANY}`,
  ],
  'kolding-accelerator': ['/', '/partnership', '/cohorts/cluster-1-2019', `/companies/${COMPANY}`],
  'kolding-virksomhed': ['/', `/companies/${COMPANY}`],
  'kolding-oekonomi': ['/', '/payments', '/business-case', '/business-case/what-if?draws=500', '/dashboard'],
  programleder: [
    '/',
    '/referrals',
    '/referrals?municipality=621',
    '/dashboard',
    '/business-case',
    '/business-case/what-if?draws=500&view=full',
    `/referrals/${id()}`,
    `/referrals/${id()}/access-log`,
    '/partnership',
    '/partnership?municipality=621',
    '/cohorts/cluster-1-2019',
  ],
});

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  it('finds nothing on the login page', async () => {
    // Prepare
    const page = await pageAs();

    // Act
    const violations = await violationsAt(page, '/login');

    // Assess
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it.each(Object.keys(pagesOf(() => '')))('finds nothing on any page %s opens', async (username) => {
    // Prepare
    const page = await pageAs(username);

    // Act
    const violations: string[] = [];
    for (const path of pagesOf(() => referralId)[username] ?? [])
      violations.push(...(await violationsAt(page, path)));

    // Assess
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('still finds a violation on a page made to have one (negative control)', async () => {
    // Prepare: the login page with its username field's label removed.
    const page = await pageAs();
    await page.goto(`${api.url}/login`);
    await page.evaluate("document.querySelector('label[for=username]')?.remove()");

    // Act
    const results = await runAxe(page);

    // Assess
    expect(results.violations.map((v) => v.id)).toContain('label');
    await page.context().close();
  });
});
