import type { Role } from '#domain/access';
import { danishDate } from '#domain/dates';
import { authorize, callerOf, notSignedIn } from '#shared/caller';
import { clock } from '#shared/clock';
import { homePage, referralForm } from '#shared/html';
import { basePath, htmlResponse, redirect } from '#shared/http';
import { isReferralId } from '#shared/referral-id';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** Where each role lands after signing in: the page it works from. */
export const homeOf: Record<Role, string> = {
  caseworker: '/referrals',
  'employment-actor': '/referrals',
  finance: '/payments',
  programme: '/dashboard',
  accelerator: '/accelerator/tasks',
  company: '/accelerator/tasks',
};

/**
 * GET /referrals/new: the referral form (caseworkers). GET /: each role's home — 303 to the municipality's
 * pathways (caseworker, employment actor), the payments and statements (finance) or the dashboard (programme).
 * `/?referral=<id>` opens a pathway (the home page's form): 303 to it, where the pathway's handler decides whether
 * the caller may read it; an id that cannot be one is asked for again.
 */
export const handler = wrapHttpHandler('referral-form', async (event) => {
  const caller = callerOf(event);
  if (!caller) throw notSignedIn();
  const base = basePath(event);
  if (event.resource === '/referrals/new') {
    return htmlResponse(200, referralForm(base, authorize(event, 'refer')));
  }
  const wanted = event.queryStringParameters?.referral?.trim();
  if (wanted && isReferralId(wanted.toLowerCase()))
    return redirect(`${base}/referrals/${wanted.toLowerCase()}`);
  if (wanted !== undefined && wanted !== '') {
    return htmlResponse(
      400,
      homePage(base, caller, danishDate(clock.now()), [
        { field: 'referral', message: 'Et forløbs id har formen xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' },
      ]),
    );
  }
  return redirect(`${base}${homeOf[caller.role]}`);
});
