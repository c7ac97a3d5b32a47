import { danishDate } from '#domain/dates';
import { authorize, callerOf, notSignedIn } from '#shared/caller';
import { clock } from '#shared/clock';
import { homePage, referralForm } from '#shared/html';
import { basePath, htmlResponse, redirect } from '#shared/http';
import { isReferralId } from '#shared/referral-id';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * GET /: every signed-in role gets a page. The caseworker's is the referral form; the other roles get a short
 * page with what their role may open (issue 8 builds the real home pages). `?referral=<id>` opens a pathway
 * (the page's own form): 303 to it, where the pathway's handler decides whether the caller may read it.
 */
export const handler = wrapHttpHandler('referral-form', async (event) => {
  const caller = callerOf(event);
  if (!caller) throw notSignedIn();
  const base = basePath(event);
  const wanted = event.queryStringParameters?.referral?.trim();
  // Any role may open a pathway by its id; the pathway's own handler decides whether the caller may read it.
  if (wanted && isReferralId(wanted.toLowerCase()))
    return redirect(`${base}/referrals/${wanted.toLowerCase()}`);
  if (caller.role === 'caseworker') return htmlResponse(200, referralForm(base, authorize(event, 'refer')));
  if (wanted !== undefined && wanted !== '') {
    return htmlResponse(
      400,
      homePage(base, caller, danishDate(clock.now()), [
        { field: 'referral', message: 'Et forløbs id har formen xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' },
      ]),
    );
  }
  return htmlResponse(200, homePage(base, caller, danishDate(clock.now())));
});
