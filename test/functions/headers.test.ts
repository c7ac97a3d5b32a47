import type { APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { html } from '#shared/html-template';
import {
  csvAttachment,
  errorResponse,
  HttpError,
  htmlResponse,
  json,
  noContent,
  redirect,
} from '#shared/http';
import { handler as referralForm } from '../../functions/api/referral-form.ts';
import { apiEvent, callers, lambdaContext } from './support.ts';

const HSTS = 'max-age=31536000; includeSubDomains';

/** Every kind of answer the handlers build with functions/shared/http.ts. */
const answers: [string, () => APIGatewayProxyResult][] = [
  ['JSON', () => json(200, { ok: true })],
  [
    'a field error',
    () => errorResponse(new HttpError(400, [{ field: 'name', message: 'Navn skal udfyldes' }])),
  ],
  ['a page', () => htmlResponse(200, html`<p>Forløb</p>`)],
  ['a CSV download', () => csvAttachment('udbetalinger.csv', '\uFEFFa;b\r\n')],
  ['a redirect', () => redirect('/prod/referrals/abc')],
  ['an empty answer', () => noContent()],
];

describe('the headers of every answer', () => {
  it.each(answers)('%s carries HSTS, no-store and nosniff', (_kind, build) => {
    // Act
    const { headers } = build();

    // Assess
    expect(headers).toMatchObject({
      'Strict-Transport-Security': HSTS,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
  });

  it('a page may not be framed: frame-ancestors none and X-Frame-Options DENY, next to the rest of its CSP', () => {
    // Act
    const { headers } = htmlResponse(400, html`<p>Fejl</p>`, { 'Set-Cookie': 'x=1' });

    // Assess
    const policy = String(headers?.['Content-Security-Policy'])
      .split(';')
      .map((d) => d.trim());
    expect(policy).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(headers?.['X-Frame-Options']).toBe('DENY');
    expect(headers?.['Set-Cookie']).toBe('x=1');
  });

  it('a redirect is a 303 to the location, with no body', () => {
    // Act
    const answer = redirect('/prod/referrals/abc');

    // Assess
    expect(answer).toMatchObject({ statusCode: 303, body: '', headers: { Location: '/prod/referrals/abc' } });
  });

  it("a handler's page carries them as sent: the referral form", async () => {
    // Prepare
    const event = apiEvent({
      method: 'GET',
      path: '/referrals/new',
      headers: { Accept: 'text/html' },
      caller: callers.koldingCaseworker,
    });

    // Act
    const response = await referralForm(event, lambdaContext);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'Strict-Transport-Security': HSTS, 'X-Frame-Options': 'DENY' });
    expect(String(response.headers?.['Content-Security-Policy'])).toContain("frame-ancestors 'none'");
  });
});
