import { describe, expect, it } from 'vitest';
import type { Caller } from '#domain/access';
import { accessLogPage, homePage, page, referralForm, referralPage, statementsForm } from '#shared/html';
import { escapeHtml, html, isHtml, join, raw } from '#shared/html-template';
import { htmlResponse } from '#shared/http';
import { referralView } from '#shared/referral-view';
import { handler as home } from '../../functions/api/referral-form.ts';
import { apiEvent, callers, lambdaContext, referralId } from './support.ts';
import { referralRecord } from './support-records.ts';

const hostile = `"><script>alert('x')</script>&`;
const escaped = '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;';

describe('the html tagged template', () => {
  it('escapes every interpolated value in text', () => {
    expect(String(html`<p>${hostile}</p>`)).toBe(`<p>${escaped}</p>`);
  });

  it.each([
    ['double-quoted', (v: string) => html`<input value="${v}">`, `<input value="${escaped}">`],
    ['single-quoted', (v: string) => html`<a title='${v}'>`, `<a title='${escaped}'>`],
    ['href', (v: string) => html`<a href="/x?q=${v}">`, `<a href="/x?q=${escaped}">`],
  ])('escapes in a %s attribute, so no value can close it', (_context, build, expected) => {
    const markup = String(build(hostile));
    expect(markup).toBe(expected);
    // One attribute, still open only where the template opened it.
    expect(markup.match(/"/g)?.length ?? 0).toBe(markup.includes('"') ? 2 : 0);
  });

  it('escapes an attribute-breaking value with an event handler', () => {
    const markup = String(html`<img alt="${'x" onerror="alert(1)'}">`);
    expect(markup).toBe('<img alt="x&quot; onerror=&quot;alert(1)">');
    expect(markup).not.toContain('" onerror="');
  });

  it('keeps markup only when it is named: a nested template or raw(...)', () => {
    // Prepare
    const nested = html`<b>${hostile}</b>`;

    // Act
    const markup = String(html`<p>${nested}${raw('<br>')}${'<br>'}</p>`);

    // Assess
    expect(markup).toBe(`<p><b>${escaped}</b><br>&lt;br&gt;</p>`);
  });

  it('does not take a look-alike object for markup', () => {
    const fake = { toString: () => '<script>x</script>' } as unknown as string;
    expect(String(html`${fake}`)).toBe('&lt;script&gt;x&lt;/script&gt;');
    expect(isHtml(fake)).toBe(false);
    expect(isHtml(html``)).toBe(true);
  });

  it('joins lists item by item under the same rules, and renders nothing for null, undefined and false', () => {
    // Act
    const markup = String(
      html`<ul>${['<a>', html`<li>b</li>`, 1, null, undefined, false]}</ul>${true && html`<i>yes</i>`}${false && html`<i>no</i>`}`,
    );

    // Assess
    expect(markup).toBe('<ul>&lt;a&gt;<li>b</li>1</ul><i>yes</i>');
    expect(String(join(['<x>', html`<y>`], raw('<hr>')))).toBe('&lt;x&gt;<hr><y>');
  });

  it('escapes as escapeHtml does: &, <, >, " and \'', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(escapeHtml(undefined)).toBe('');
  });

  it('is what a page response takes', () => {
    const response = htmlResponse(200, html`<p>${hostile}</p>`);
    expect(response.body).toBe(`<p>${escaped}</p>`);
    expect(response.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
  });
});

describe('every page escapes what it shows', () => {
  it('the pathway page, whatever the citizen’s name, employer or recorder', () => {
    // Prepare
    const view = referralView({
      referral: referralRecord({ name: hostile }),
      events: [],
      outcomes: [
        {
          referralId,
          outcomeId: 'o-1',
          type: 'job-start',
          date: '2026-10-01',
          hoursPerWeek: 37,
          employer: hostile,
          recordedAt: '2026-10-01T09:00:00.000Z',
          recordedBy: hostile,
          phaseAtOutcome: 'training',
        },
      ],
      payments: [],
      milestones: [],
      failures: [],
    });

    // Act
    const markup = String(referralPage('/prod', callers.koldingActor, view));

    // Assess
    expect(markup).not.toContain('<script>');
    expect(markup).toContain(escaped);
  });

  it('the referral form, with the values kept after an error', () => {
    const markup = String(
      referralForm('/prod', callers.koldingCaseworker, { name: hostile, startDate: hostile }, [
        { field: 'name', message: hostile },
      ]),
    );
    expect(markup).not.toContain('<script>');
    expect(markup).toContain(`value="${escaped}"`);
  });

  it('the frame, whatever the username', () => {
    const caller: Caller = { username: hostile, role: 'caseworker', municipality: '621' };
    const markup = String(page('Titel', html`<p>x</p>`, { caller, base: '/prod' }));
    expect(markup).not.toContain('<script>');
    expect(markup).toContain(escaped);
  });

  it('the access log page', () => {
    const markup = String(
      accessLogPage('/prod', callers.programme, referralId, [
        { referralId, at: '2026-11-26T10:00:00.000Z', username: hostile, role: 'caseworker', action: 'read' },
      ]),
    );
    expect(markup).not.toContain('<script>');
    expect(markup).toContain(escaped);
  });
});

describe('the frame of every page names the signed-in user and offers sign-out', () => {
  it.each([
    [callers.koldingCaseworker, 'Sagsbehandler', 'Kolding Kommune'],
    [callers.aalborgActor, 'Beskæftigelsesaktør', 'Aalborg Kommune'],
    [callers.koldingFinance, 'Økonomi', 'Kolding Kommune'],
    [callers.programme, 'Programledelse', 'alle kommuner'],
  ])('%o as %s in %s', (caller, role, municipality) => {
    // Act
    const markup = String(page('Titel', html`<p>x</p>`, { caller, base: '/prod' }));

    // Assess
    expect(markup).toContain(`<strong>${caller.username}</strong>`);
    expect(markup).toContain(`<span>${role}</span>`);
    expect(markup).toContain(`<span>${municipality}</span>`);
    expect(markup).toContain('<form method="post" action="/prod/logout"><button>Log ud</button></form>');
  });

  it('has no user and no sign-out without a caller (the sign-in pages)', () => {
    const markup = String(page('Log ind', html`<p>x</p>`));
    expect(markup).not.toContain('Log ud');
  });
});

describe('the pathway page offers the forms of the caller’s role only', () => {
  const view = referralView({
    referral: referralRecord(),
    events: [],
    outcomes: [],
    payments: [],
    milestones: [],
    failures: [],
  });

  it.each([
    [callers.koldingCaseworker, { outcome: true, placement: false, accessLog: false, refer: true }],
    [callers.koldingActor, { outcome: true, placement: true, accessLog: false, refer: false }],
    [callers.programme, { outcome: false, placement: false, accessLog: true, refer: false }],
  ])('%o', (caller, expected) => {
    const markup = String(referralPage('/prod', caller, view));
    expect(markup.includes(`/referrals/${referralId}/outcomes"`)).toBe(expected.outcome);
    expect(markup.includes(`/referrals/${referralId}/placement"`)).toBe(expected.placement);
    expect(markup.includes(`/referrals/${referralId}/access-log"`)).toBe(expected.accessLog);
    expect(markup.includes('Ny visitation')).toBe(expected.refer);
  });
});

describe('GET / (home)', () => {
  const get = (caller: Caller | undefined, query?: Record<string, string>) =>
    home(
      apiEvent({
        method: 'GET',
        path: '/',
        headers: { Accept: 'text/html' },
        queryStringParameters: query,
        caller,
      }),
      lambdaContext,
    );

  const form = (caller: Caller) =>
    home(
      apiEvent({ method: 'GET', path: '/referrals/new', headers: { Accept: 'text/html' }, caller }),
      lambdaContext,
    );

  it('shows the caseworker the referral form at /referrals/new, with the municipality as text, not a field', async () => {
    // Act
    const response = await form(callers.koldingCaseworker);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<form method="post" action="/prod/referrals"');
    expect(response.body).toContain('Kommune: <strong>Kolding Kommune</strong>');
    expect(response.body).not.toContain('name="municipality"');
  });

  it('refuses the referral form to a role that does not refer', async () => {
    expect((await form(callers.koldingActor)).statusCode).toBe(403);
  });

  it.each([
    [callers.koldingCaseworker, '/prod/referrals'],
    [callers.koldingActor, '/prod/referrals'],
    [callers.koldingFinance, '/prod/payments'],
    [callers.programme, '/prod/dashboard'],
  ])('sends %o home to %s', async (caller, location) => {
    // Act
    const response = await get(caller);

    // Assess
    expect(response.statusCode).toBe(303);
    expect(response.headers?.Location).toBe(location);
  });

  it.each([
    [
      callers.koldingFinance,
      ['href="/prod/business-case"', 'href="/prod/payments"', 'href="/prod/dashboard"'],
      ['href="/prod/tasks"', 'href="/prod/referrals"'],
    ],
    [
      callers.programme,
      ['href="/prod/referrals"', 'href="/prod/dashboard"', 'href="/prod/business-case"'],
      ['href="/prod/referrals/new"', 'href="/prod/tasks"'],
    ],
    [
      callers.koldingActor,
      ['href="/prod/tasks"', 'href="/prod/referrals"', 'href="/prod/dashboard"'],
      ['href="/prod/referrals/new"', 'href="/prod/business-case"', 'href="/prod/payments"'],
    ],
    [
      callers.koldingCaseworker,
      ['href="/prod/tasks"', 'href="/prod/referrals"', 'href="/prod/referrals/new"'],
      ['href="/prod/business-case"', 'href="/prod/payments"'],
    ],
  ])('gives %o a menu of the pages its role may open', (caller, present, absent) => {
    // Act
    const markup = String(page('Side', html`<h1>Side</h1>`, { caller, base: '/prod' }));

    // Assess
    expect(markup).toContain('<nav aria-label="Hovedmenu">');
    for (const text of present) expect(markup).toContain(text);
    for (const text of absent) expect(markup).not.toContain(text);
  });

  it('gives finance a statement form for its own municipality, a programme user a field for it', () => {
    expect(String(statementsForm('', callers.koldingFinance, '2027-03'))).toContain(
      '<input type="hidden" name="municipality" value="621">',
    );
    expect(String(statementsForm('', callers.programme, '2027-03'))).toContain('id="statement-municipality"');
  });

  it('opens a pathway by id with a 303, and asks again for a malformed id', async () => {
    // Act
    const found = await get(callers.koldingActor, { referral: referralId.toUpperCase() });
    const malformed = await get(callers.koldingActor, { referral: '"><script>' });

    // Assess
    expect(found.statusCode).toBe(303);
    expect(found.headers?.Location).toBe(`/prod/referrals/${referralId}`);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).not.toContain('<script>');
  });

  it('answers 401 without a session', async () => {
    expect((await get(undefined)).statusCode).toBe(401);
  });

  it('renders the same home page whichever day it is', () => {
    const markup = String(homePage('', callers.koldingFinance, '2027-03-15'));
    expect(markup).toContain('value="2027-03"');
  });
});
