import { json } from '#shared/http';
import { listPayments } from '#shared/pathway-store';
import { paymentView } from '#shared/referral-view';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** GET /payments: every payment, newest first, for finance staff. */
export const handler = wrapHttpHandler('list-payments', async () => {
  const payments = await listPayments();
  payments.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.paymentId.localeCompare(b.paymentId));
  return json(200, payments.map(paymentView));
});
