import { canonical } from '#domain/parties';
import { findMunicipality } from '#domain/programme';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { json, validate } from '#shared/http';
import { logger } from '#shared/logger';
import { handlePartnershipPost, partnershipNotFound, staleVersion } from '#shared/partnership-request';
import { loadPartnership, saveEmploymentActor, VersionConflict } from '#shared/partnership-store';
import { employmentActorFields } from '#shared/partnership-validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

const stale = (version: number) =>
  staleVersion('Oplysningerne er ændret af en anden siden du hentede dem', version);

/**
 * POST /partnership/employment-actor: the employment actor names itself and its single point of contact for its
 * own municipality's partnership. Each change is a new version, written only on top of the version the user saw
 * (`basedOnVersion`); sending the same again answers with the stored record (idempotent).
 */
export const handler = wrapHttpHandler('save-employment-actor', async (event) => {
  const caller = authorize(event, 'edit-partnership-contacts');
  const municipality = findMunicipality(caller.municipality ?? '');
  if (!municipality) throw partnershipNotFound();
  return handlePartnershipPost(event, caller, 'employment-actor', async (data) => {
    const fields = validate(employmentActorFields, data);
    const contact = { name: fields.contactName, email: fields.contactEmail, phone: fields.contactPhone };
    const { actor } = await loadPartnership(municipality.code);
    const unchanged =
      actor !== undefined &&
      actor.name === fields.name &&
      actor.cvr === fields.cvr &&
      canonical(actor.contact) === canonical(contact);
    if (unchanged) return json(200, actor);
    const current = actor?.version ?? 0;
    if (fields.basedOnVersion !== current) throw stale(current);
    const record = {
      municipality: municipality.code,
      name: fields.name,
      cvr: fields.cvr,
      contact,
      version: current + 1,
      changedAt: clock.now().toISOString(),
      changedBy: caller.username,
    };
    try {
      await saveEmploymentActor(record);
    } catch (error) {
      if (error instanceof VersionConflict) throw stale(current + 1);
      throw error;
    }
    logger.info('Employment actor saved', { municipality: municipality.code, version: record.version });
    return json(record.version === 1 ? 201 : 200, record);
  });
});
