import { page } from '#shared/html';
import { type Html, html } from '#shared/html-template';
import type { FieldError } from '#shared/http';

/**
 * The sign-in pages (Danish). They are shown to people who are not signed in yet, so they carry no header with
 * a user and link nowhere but to themselves.
 */
export type LoginStep =
  | { kind: 'password'; username?: string }
  | { kind: 'mfa-code'; username: string; session: string }
  | { kind: 'new-password'; username: string; session: string }
  | { kind: 'mfa-setup'; secret: string; otpauthUri: string }
  | { kind: 'mfa-enabled' }
  | { kind: 'signed-out' };

function errorSummary(errors: FieldError[]): Html {
  if (errors.length === 0) return html``;
  return html`<div class="summary" role="alert"><p>Du er ikke logget ind. Ret venligst:</p><ul>${errors.map(
    (e) => html`<li>${e.message}</li>`,
  )}</ul></div>`;
}

function errorFor(errors: FieldError[], field: string): Html {
  const error = errors.find((e) => e.field === field);
  return error ? html`<p class="error" id="${field}-error">${error.message}</p>` : html``;
}

export function loginPage(base: string, step: LoginStep, errors: FieldError[] = []): Html {
  const action = `${base}/login`;
  const intro = html`<p>Social inklusion gennem Vækstpartnerskaber – for kommunernes sagsbehandlere, beskæftigelsesaktører, økonomi og programledelsen.</p>`;
  switch (step.kind) {
    case 'password':
      return page(
        'Log ind',
        html`<h1>Log ind</h1>
${intro}
${errorSummary(errors)}
<form method="post" action="${action}">
  <label for="username">Brugernavn</label>
  <input id="username" name="username" autocomplete="username" value="${step.username}" required>
  ${errorFor(errors, 'username')}
  <label for="password">Adgangskode</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  ${errorFor(errors, 'password')}
  <button type="submit">Log ind</button>
</form>`,
      );
    case 'mfa-code':
      return page(
        'Log ind – kode',
        html`<h1>Indtast koden fra din app</h1>
<p>Din bruger er beskyttet med to-faktor-godkendelse. Indtast den sekscifrede kode fra din godkendelsesapp.</p>
${errorSummary(errors)}
<form method="post" action="${action}">
  <input type="hidden" name="username" value="${step.username}">
  <input type="hidden" name="session" value="${step.session}">
  <label for="code">Kode</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required>
  ${errorFor(errors, 'code')}
  <button type="submit">Log ind</button>
</form>`,
      );
    case 'new-password':
      return page(
        'Vælg ny adgangskode',
        html`<h1>Vælg en ny adgangskode</h1>
<p>Du er logget ind med en midlertidig adgangskode. Vælg din egen: mindst 12 tegn med store og små bogstaver, tal og tegn.</p>
${errorSummary(errors)}
<form method="post" action="${action}">
  <input type="hidden" name="username" value="${step.username}">
  <input type="hidden" name="session" value="${step.session}">
  <label for="newPassword">Ny adgangskode</label>
  <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required>
  ${errorFor(errors, 'newPassword')}
  <button type="submit">Gem og log ind</button>
</form>`,
      );
    case 'mfa-setup':
      return page(
        'Opsæt to-faktor',
        html`<h1>Opsæt to-faktor-godkendelse</h1>
<p>Din rolle kræver to-faktor-godkendelse. Tilføj denne nøgle i din godkendelsesapp (fx Microsoft Authenticator eller Google Authenticator), og indtast derefter den kode, appen viser.</p>
<p>Nøgle: <code>${step.secret}</code></p>
<p class="hint">Eller åbn: <code>${step.otpauthUri}</code></p>
${errorSummary(errors)}
<form method="post" action="${action}">
  <label for="setupCode">Kode fra appen</label>
  <input id="setupCode" name="setupCode" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required>
  ${errorFor(errors, 'setupCode')}
  <button type="submit">Slå to-faktor til</button>
</form>`,
      );
    case 'mfa-enabled':
      return page(
        'To-faktor er slået til',
        html`<h1>To-faktor er slået til</h1>
<p>Log ind igen med din adgangskode og koden fra appen.</p>
<p><a href="${action}">Log ind</a></p>`,
      );
    case 'signed-out':
      return page(
        'Logget ud',
        html`<h1>Du er logget ud</h1>
<p><a href="${action}">Log ind igen</a></p>`,
      );
  }
}
