import { expect } from 'vitest';
import type { Api } from './local-system.ts';

/**
 * The employment actor's own social-economy company, as POST /companies takes it: a company record of its
 * partnership, where an induction placement of type `own-company` goes (issue 7, item 4).
 */
export const ownCompanyBody = (cvr: string, name: string) => ({
  cvr,
  name,
  contactName: 'Kontaktperson',
  socialEconomy: 'registered',
  size: 'small',
  ownedByEmploymentActor: true,
});

/** Registers the employment actor's own company in `municipality`'s partnership, as that actor. */
export async function registerOwnCompany(api: Api, municipality: string, cvr: string, name: string) {
  const registered = await api
    .as({ role: 'employment-actor', municipality })
    .request('POST', '/companies', ownCompanyBody(cvr, name));
  expect(registered.status, registered.text).toBe(201);
}
