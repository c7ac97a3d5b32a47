import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.ts';
import { registerOwnCompany } from '../integration/companies.ts';
import { type Api, cpr, startSystem } from '../integration/local-system.ts';
import { launchChromium, signedIn as signInAs } from './support.ts';

/**
 * Signed-in users' flows in a real browser (Debian's chromium, driven by playwright-core): sign in on the login
 * page, fill in the referral form, land on the pathway page, see the phase move when the clock is
 * fast-forwarded, record a placement and a drop-out as the employment actor, sign out.
 */
let runtime: LocalRuntime;
let api: Api;
let browser: Browser;

beforeAll(async () => {
  ({ runtime, api } = await startSystem());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** A fresh browser profile (its own cookies) signed in through the login page as `username`. */
const signedIn = (username: string): Promise<Page> => signInAs(browser, api.url, username);

describe('signing in', () => {
  it('sends a visitor without a session to the Danish login page, and refuses a wrong password', async () => {
    // Prepare
    const context = await browser.newContext();
    const page = await context.newPage();

    // Act
    await page.goto(`${api.url}/`);
    await page.waitForURL(`${api.url}/login`);
    await page.fill('#username', 'kolding-sagsbehandler');
    await page.fill('#password', 'forkert-kode');
    await page.click('button[type=submit]');

    // Assess
    await expect
      .poll(() => page.textContent('#password-error'))
      .toContain('Forkert brugernavn eller adgangskode');
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    expect(await page.inputValue('#password')).toBe('');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'vp_session')).toBeUndefined();
    await context.close();
  });

  it('keeps the session in an HttpOnly, SameSite=Strict cookie and signs out', async () => {
    // Prepare
    const page = await signedIn('kolding-sagsbehandler');

    // Assess: the header names the user; the cookie is out of any script's reach.
    expect(await page.textContent('body')).toContain('kolding-sagsbehandler');
    const session = (await page.context().cookies()).find((c) => c.name === 'vp_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });

    // Act: sign out.
    await Promise.all([page.waitForURL(`${api.url}/login`), page.click('form[action$="/logout"] button')]);

    // Assess: no session any more, and the form is behind the login again.
    expect((await page.context().cookies()).find((c) => c.name === 'vp_session')).toBeUndefined();
    await page.goto(`${api.url}/`);
    await page.waitForURL(`${api.url}/login`);
    await page.context().close();
  });
});

describe('cross-site requests', () => {
  it('refuses a form on another origin that posts with the signed-in user’s cookie', async () => {
    // Prepare: a signed-in caseworker, and a page on another port — the same site for SameSite, another origin.
    const page = await signedIn('kolding-sagsbehandler');
    const today = await api.today();
    const evil = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="da"><body><form method="post" action="${api.url}/referrals">
<input name="cpr" value="${cpr(900)}"><input name="name" value="Falsk Borger"><input name="benefit" value="kontanthjaelp">
<input name="rateGroup" value="30-plus-without-children"><input name="readiness" value="jobparat">
<input name="weeksOnBenefit" value="1"><input name="startDate" value="${today}">
<button id="go">Send</button></form></body></html>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;

    await runtime.settle();
    const executionsBefore = runtime.executions().length;

    // Act
    await page.goto(evilUrl);
    const [response] = await Promise.all([page.waitForResponse(`${api.url}/referrals`), page.click('#go')]);

    // Assess: refused by the authorizer's Origin check; nothing was referred.
    expect(response.status()).toBe(403);
    // A referral would have started its first phase timer.
    await runtime.settle();
    expect(runtime.executions()).toHaveLength(executionsBefore);
    await page.context().close();
    await new Promise((resolve) => evil.close(resolve));
  });
});

describe('the referral form in a browser', () => {
  it('shows messages per field in Danish and keeps what was typed, except the CPR number', async () => {
    // Prepare
    const page = await signedIn('kolding-sagsbehandler');
    await page.click('nav a:has-text("Visitation")');
    await page.waitForURL(`${api.url}/referrals/new`);

    // Act: an impossible CPR date.
    await page.fill('#cpr', '320185-1234');
    await page.fill('#name', 'Bo Jensen');
    await page.click('button[type=submit]');

    // Assess
    await expect.poll(() => page.textContent('#cpr-error')).toContain('gyldig fødselsdato');
    expect(await page.inputValue('#name')).toBe('Bo Jensen');
    expect(await page.inputValue('#cpr')).toBe('');
    expect(await page.content()).not.toContain('320185');
    await page.context().close();
  });

  it('refers a citizen in the caseworker’s own municipality; the actor places and records; Aalborg sees nothing', async () => {
    // Prepare
    const caseworker = await signedIn('kolding-sagsbehandler');
    // Home is the municipality's pathways; the menu leads to the form.
    expect(await caseworker.textContent('h1')).toBe('Borgerforløb');
    await caseworker.click('nav a:has-text("Visitation")');
    await caseworker.waitForURL(`${api.url}/referrals/new`);
    expect(await caseworker.textContent('h1')).toBe('Visitation af borger');
    expect(await caseworker.textContent('body')).toContain('Kolding');

    // Act: fill and submit the form.
    await caseworker.fill('#cpr', cpr(500));
    await caseworker.fill('#name', 'Karen Holm');
    await caseworker.selectOption('#benefit', 'integrationsydelse');
    await caseworker.selectOption('#rateGroup', 'parent');
    await caseworker.selectOption('#readiness', 'aktivitetsparat');
    // The staircase week, far above the old field's 52, with its help text on the § 6 restart.
    expect(await caseworker.textContent('#staircaseWeek-hint')).toContain('(§ 6)');
    await caseworker.fill('#staircaseWeek', '120');
    await caseworker.fill('#startDate', await api.today());
    await Promise.all([
      caseworker.waitForURL(/\/referrals\/[0-9a-f-]{36}$/),
      caseworker.click('button[type=submit]'),
    ]);

    // Assess: the pathway page, in training, in Kolding, referred by the signed-in caseworker.
    expect(await caseworker.getAttribute('#phase', 'data-phase')).toBe('training');
    expect(await caseworker.textContent('body')).toContain('Kolding Kommune');
    const pathwayUrl = caseworker.url();

    // Aalborg's caseworker gets the same answer as for a pathway that does not exist.
    const aalborg = await signedIn('aalborg-sagsbehandler');
    const response = await aalborg.goto(pathwayUrl);
    expect(response?.status()).toBe(404);
    expect(await aalborg.textContent('body')).not.toContain('Karen Holm');
    await aalborg.context().close();

    // Six months on, the employment actor records where the induction takes place: in its own company, a company
    // record of Kolding's partnership (issue 7), picked from the form's list.
    await registerOwnCompany(api, '621', '29000026', 'Kolding Genbrug (socialøkonomisk)');
    await api.advance(184);
    const actor = await signedIn('kolding-aktoer');
    await actor.goto(pathwayUrl);
    expect(await actor.getAttribute('#phase', 'data-phase')).toBe('induction');
    await actor.selectOption('#placement-type', 'own-company');
    await actor.selectOption('#placement-companyCvr', '29000026');
    await Promise.all([
      actor.waitForLoadState('load'),
      actor.click('form[action$="/placement"] button[type=submit]'),
    ]);
    await actor.waitForSelector('#placement[data-placement="own-company"]');

    // A drop-out recorded from the page closes the pathway at once; the page names who recorded it.
    await actor.selectOption('#type', 'dropout');
    await actor.fill('#date', await api.today());
    await Promise.all([
      actor.waitForLoadState('load'),
      actor.click('form[action$="/outcomes"] button[type=submit]'),
    ]);
    await actor.waitForSelector('#phase[data-phase="closed"]');
    const body = await actor.textContent('body');
    expect(body).toContain('borgeren er faldet fra');
    expect(body).toContain('kolding-aktoer');
    expect(body).toContain('kolding-sagsbehandler');
    await actor.context().close();
    await caseworker.context().close();
  });
});
