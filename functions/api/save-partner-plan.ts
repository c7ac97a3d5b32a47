import { planChanges } from '#domain/parties';
import { findMunicipality } from '#domain/programme';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { json, validate } from '#shared/http';
import { logger } from '#shared/logger';
import { handlePartnershipPost, partnershipNotFound, staleVersion } from '#shared/partnership-request';
import { addPlanVersion, loadPartnership, VersionConflict } from '#shared/partnership-store';
import { partnerPlanFields } from '#shared/partnership-validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

const stale = (version: number) =>
  staleVersion('Partnerplanen er ændret af en anden siden du hentede den', version);

/**
 * POST /partnership/plan: a new version of the partnership's partner plan (the fund's accelerator staff map the
 * partners' needs and wishes, agreed roles, contacts and review dates). Versions are never changed: each is kept
 * with who wrote it and when. A version is written only on top of the one the user saw (`basedOnVersion`); the
 * same plan sent again answers with the version it made (idempotent), not a second one.
 */
export const handler = wrapHttpHandler('save-partner-plan', async (event) => {
  const caller = authorize(event, 'edit-partner-plan');
  const municipality = findMunicipality(caller.municipality ?? '');
  if (!municipality) throw partnershipNotFound();
  return handlePartnershipPost(event, caller, 'plan', async (data) => {
    const fields = validate(partnerPlanFields, data);
    const content = {
      needs: fields.needs,
      roles: fields.roles,
      contacts: fields.contacts,
      reviewDates: fields.reviewDates,
    };
    const { planVersions } = await loadPartnership(municipality.code);
    const latest = planVersions.at(-1);
    if (latest && planChanges(latest, content).length === 0 && latest.note === (fields.note ?? '')) {
      return json(200, latest);
    }
    const current = latest?.version ?? 0;
    if (fields.basedOnVersion !== current) throw stale(current);
    const plan = {
      municipality: municipality.code,
      version: current + 1,
      ...content,
      note: fields.note ?? '',
      changedAt: clock.now().toISOString(),
      changedBy: caller.username,
    };
    try {
      await addPlanVersion(plan);
    } catch (error) {
      if (error instanceof VersionConflict) throw stale(current + 1);
      throw error;
    }
    logger.info('Partner plan version added', { municipality: municipality.code, version: plan.version });
    return json(201, plan);
  });
});
