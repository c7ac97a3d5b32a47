import { referralForm } from '#shared/html';
import { basePath, html } from '#shared/http';
import { wrapHttpHandler } from '#shared/wrap-handler';

export const handler = wrapHttpHandler('referral-form', async (event) =>
  html(200, referralForm(basePath(event))),
);
