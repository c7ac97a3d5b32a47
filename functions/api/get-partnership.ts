import { municipalities } from '#domain/programme';
import { authorize } from '#shared/caller';
import { page } from '#shared/html';
import { html } from '#shared/html-template';
import { basePath, htmlResponse, json, wantsHtml } from '#shared/http';
import { partnershipPage } from '#shared/partnership-page';
import { loadPartnershipView, partnershipMunicipality } from '#shared/partnership-request';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * GET /partnership: the caller's municipality's partnership (partners, the employment actor as single point of
 * contact, companies and their stage, the partner plan with its history), as JSON or the Danish page. The
 * programme role names the municipality (`?municipality=621`); without it, it gets the list to choose from.
 */
export const handler = wrapHttpHandler('get-partnership', async (event) => {
  const caller = authorize(event, 'read-partnership');
  const base = basePath(event);
  const municipality = partnershipMunicipality(
    caller,
    'read-partnership',
    event.queryStringParameters?.municipality,
  );
  if (!municipality) {
    const list = municipalities.map((m) => ({ code: m.code, name: m.name, cluster: m.cluster }));
    if (!wantsHtml(event)) return json(200, { municipalities: list });
    return htmlResponse(
      200,
      page(
        'Partnerskaber',
        html`<h1>Partnerskaber</h1><ul>${list.map(
          (m) =>
            html`<li><a href="${base}/partnership?municipality=${m.code}">${m.name}</a> (klynge ${String(m.cluster)})</li>`,
        )}</ul>`,
        { caller, base },
      ),
    );
  }
  const view = await loadPartnershipView(municipality);
  return wantsHtml(event) ? htmlResponse(200, partnershipPage(base, caller, view)) : json(200, view);
});
