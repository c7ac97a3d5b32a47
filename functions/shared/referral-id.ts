/**
 * What a referral id looks like (a UUID, lower case), apart from the store: the referral form checks an id it is
 * given without loading the pathway store, whose module reads TABLE_NAME, a variable the form's function has not.
 */
const REFERRAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isReferralId(id: string): boolean {
  return REFERRAL_ID.test(id);
}
