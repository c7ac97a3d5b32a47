import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, cpr, startSystem } from '../integration/local-system.ts';

/**
 * A caseworker's flow in a real browser (Debian's chromium, driven by playwright-core): fill in the referral
 * form, land on the pathway page, see the phase move when the clock is fast-forwarded, record a drop-out.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let runtime: LocalRuntime;
let api: Api;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No browser at ${CHROMIUM}: .ci/run installs Debian's chromium (apt-get install chromium)`,
    );
  ({ runtime, api } = await startSystem());
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe('the referral form in a browser', () => {
  it('shows messages per field in Danish and keeps what was typed, except the CPR number', async () => {
    // Prepare
    const page = await browser.newPage();
    await page.goto(`${api.url}/`);
    // Act: an impossible CPR date and no municipality.
    await page.fill('#cpr', '320185-1234');
    await page.fill('#name', 'Bo Jensen');
    await page.click('button[type=submit]');
    // Assess
    await expect.poll(() => page.textContent('#cpr-error')).toContain('gyldig fødselsdato');
    expect(await page.textContent('#municipality-error')).toContain('kommune');
    expect(await page.inputValue('#name')).toBe('Bo Jensen');
    expect(await page.inputValue('#cpr')).toBe('');
    expect(await page.content()).not.toContain('320185');
    await page.close();
  });

  it('refers a citizen, shows the pathway, follows the clock and closes on a drop-out', async () => {
    // Prepare
    const page = await browser.newPage();
    await page.goto(`${api.url}/`);
    expect(await page.textContent('h1')).toBe('Visitation af borger');

    // Act: fill and submit the form.
    await page.fill('#cpr', cpr(500));
    await page.fill('#name', 'Karen Holm');
    await page.selectOption('#municipality', '259');
    await page.selectOption('#benefit', 'integrationsydelse');
    await page.selectOption('#rateGroup', 'parent');
    await page.selectOption('#readiness', 'aktivitetsparat');
    await page.fill('#weeksOnBenefit', '40');
    await page.fill('#startDate', await api.today());
    await Promise.all([page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/), page.click('button[type=submit]')]);

    // Assess: the pathway page, in training.
    expect(await page.getAttribute('#phase', 'data-phase')).toBe('training');
    expect(await page.textContent('body')).toContain('Køge Kommune');

    // Six months on, the page shows company induction.
    await api.advance(184);
    await page.reload();
    expect(await page.getAttribute('#phase', 'data-phase')).toBe('induction');

    // The employment actor records where the induction takes place.
    await page.selectOption('#placement-type', 'own-company');
    await page.fill('#placement-company', 'Køge Genbrug (socialøkonomisk)');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('form[action$="/placement"] button[type=submit]'),
    ]);
    await page.waitForSelector('#placement[data-placement="own-company"]');

    // A drop-out recorded from the page closes the pathway at once.
    await page.selectOption('#type', 'dropout');
    await page.fill('#date', await api.today());
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('form[action$="/outcomes"] button[type=submit]'),
    ]);
    await page.waitForSelector('#phase[data-phase="closed"]');
    expect(await page.textContent('body')).toContain('borgeren er faldet fra');
    await page.close();
  });
});
