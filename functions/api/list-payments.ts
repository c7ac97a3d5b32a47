import { z } from 'zod';
import { visibleMunicipalities } from '#domain/access';
import { authorize } from '#shared/caller';
import { json, validate } from '#shared/http';
import { listPayments } from '#shared/pathway-store';
import { paymentView } from '#shared/referral-view';
import { wrapHttpHandler } from '#shared/wrap-handler';

export const paymentsQuery = z.object({
  municipality: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string({ error: 'Kommune (municipality) skal angives som kommunekode' }).trim().optional(),
  ),
});

/**
 * GET /payments[?municipality=<kommunekode>]: the payments of the municipalities the caller may see (finance:
 * its own; the programme: all), newest first. Asking for another municipality gives an empty list, never its
 * payments.
 */
export const handler = wrapHttpHandler('list-payments', async (event) => {
  const caller = authorize(event, 'read-payments');
  const query = validate(paymentsQuery, event.queryStringParameters ?? {});
  const visible = visibleMunicipalities(caller, 'read-payments');
  const wanted = query.municipality;
  const municipalities =
    wanted === undefined ? visible : (visible ?? [wanted]).filter((code) => code === wanted);
  const payments = await listPayments(municipalities);
  payments.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.paymentId.localeCompare(b.paymentId));
  return json(200, payments.map(paymentView));
});
