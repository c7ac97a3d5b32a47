import { type CompanyRecord, canonical } from '#domain/parties';
import { findMunicipality } from '#domain/programme';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { HttpError, json, validate } from '#shared/http';
import { logger } from '#shared/logger';
import { handlePartnershipPost, partnershipNotFound } from '#shared/partnership-request';
import { registerCompany } from '#shared/partnership-store';
import { companyFields } from '#shared/partnership-validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

/** What the user asked to register, as stored (without who and when), to tell a repeat from a conflict. */
const sameCompany = (a: CompanyRecord, b: CompanyRecord) => {
  const strip = ({ registeredAt: _at, registeredBy: _by, ...rest }: CompanyRecord) => canonical(rest);
  return strip(a) === strip(b);
};

/**
 * POST /companies: registers a company (CVR number, name, contact, social-economy status, size) in the caller's
 * municipality's partnership. A CVR number belongs to one partnership: the same company again answers 200 with
 * the stored record (idempotent); other details, or another municipality's partnership, answer 409.
 */
export const handler = wrapHttpHandler('register-company', async (event) => {
  const caller = authorize(event, 'register-company');
  const municipality = findMunicipality(caller.municipality ?? '');
  if (!municipality) throw partnershipNotFound();
  return handlePartnershipPost(event, caller, 'company', async (data) => {
    const fields = validate(companyFields, data);
    if (fields.ownedByEmploymentActor && caller.role !== 'employment-actor') {
      throw new HttpError(400, [
        {
          field: 'ownedByEmploymentActor',
          message: 'Kun beskæftigelsesaktøren kan registrere sin egen virksomhed',
        },
      ]);
    }
    const company: CompanyRecord = {
      cvr: fields.cvr,
      name: fields.name,
      municipality: municipality.code,
      contact: { name: fields.contactName, email: fields.contactEmail, phone: fields.contactPhone },
      socialEconomy: fields.socialEconomy,
      size: fields.size,
      ownedByEmploymentActor: fields.ownedByEmploymentActor,
      registeredAt: clock.now().toISOString(),
      registeredBy: caller.username,
    };
    const result = await registerCompany(company);
    if (result.status === 'created') {
      logger.info('Company registered', { municipality: municipality.code, cvr: company.cvr });
      return json(201, result.company);
    }
    if (result.company.municipality !== municipality.code) {
      throw new HttpError(409, [
        { field: 'cvr', message: 'Virksomheden er allerede med i en anden kommunes partnerskab' },
      ]);
    }
    if (!sameCompany(result.company, company)) {
      throw new HttpError(409, [
        {
          field: 'cvr',
          message: 'CVR-nummeret er allerede registreret i partnerskabet med andre oplysninger',
        },
      ]);
    }
    return json(200, result.company);
  });
});
