import { z } from 'zod';
import { visibleMunicipalities } from '#domain/access';
import { danishDate } from '#domain/dates';
import { phases } from '#domain/pathway';
import { findMunicipality, municipalities } from '#domain/programme';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { basePath, HttpError, htmlResponse, json, validate, wantsHtml } from '#shared/http';
import { decodeCursor, encodeCursor, type PathwayListReport, pathwayListPage } from '#shared/list-pages';
import { listSummaries, phaseCounts } from '#shared/summary-store';
import { optional, wholeNumber, withoutCpr } from '#shared/validation';
import { wrapHttpHandler } from '#shared/wrap-handler';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** The query, with the messages users read (Danish), one per field. */
export const listQuery = z.object({
  municipality: optional(z.string().trim()),
  phase: optional(
    z.enum(phases, {
      error: 'Fase (phase) skal være referred, training, induction, tracking eller closed',
    }),
  ),
  q: optional(
    z
      .string()
      .trim()
      .max(100, { error: 'Søgningen (q) må højst være 100 tegn' })
      .refine(...withoutCpr('Søgningen (q)')),
  ),
  limit: optional(
    wholeNumber(`Antal pr. side (limit) skal være et helt tal fra 1 til ${MAX_PAGE_SIZE}`, 1, MAX_PAGE_SIZE),
  ),
  cursor: optional(z.string().max(2_000, { error: 'Siden (cursor) er ugyldig' })),
  format: optional(z.enum(['json', 'html'], { error: 'Format skal være json eller html' })),
});

/**
 * GET /referrals: a municipality's pathways, soonest deadline first, with counts per phase; search by name, filter
 * by phase, a page at a time (`cursor`). Caseworkers and employment actors see their own municipality; the
 * programme sees the counts of every municipality and the list of the one it picks (`?municipality=`). Reads the
 * summaries the projector keeps (functions/shared/summary-store.ts): one index query per page, never a Scan.
 */
export const handler = wrapHttpHandler('list-pathways', async (event) => {
  const caller = authorize(event, 'list-pathways');
  const query = validate(listQuery, event.queryStringParameters ?? {});
  const visible = visibleMunicipalities(caller, 'list-pathways');
  const shown = visible ?? municipalities.map((m) => m.code);
  // Own scope: the caller's municipality whatever is asked; another one is as unknown as one that does not exist.
  const wanted = query.municipality ?? (visible?.length === 1 ? visible[0] : undefined);
  if (wanted !== undefined && (!shown.includes(wanted) || !findMunicipality(wanted))) {
    throw new HttpError(404, [{ field: 'municipality', message: 'Kommunen findes ikke' }]);
  }
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, wanted);
  const page = wanted
    ? await listSummaries({ municipality: wanted, limit, phase: query.phase, search: query.q, cursor })
    : undefined;
  const counts = await phaseCounts(wanted ? [wanted] : shown);
  const report: PathwayListReport = {
    today: danishDate(clock.now()),
    municipality: wanted ?? null,
    filters: { phase: query.phase ?? null, q: query.q ?? null, limit },
    counts: (wanted ? [wanted] : shown).map((code) => ({
      municipality: code,
      name: findMunicipality(code)?.name ?? code,
      phases: counts.get(code) ?? {},
    })),
    items:
      page?.items.map((s) => ({
        referralId: s.referralId,
        name: s.name,
        phase: s.phase,
        phaseEndsOn: s.phaseEndsOn,
        nextDeadline: s.nextDeadline,
        closedReason: s.closedReason,
        tasks: s.tasks.length,
      })) ?? [],
    nextCursor: page?.cursor ? encodeCursor(page.cursor) : null,
  };
  const format = query.format ?? (wantsHtml(event) ? 'html' : 'json');
  return format === 'html'
    ? htmlResponse(200, pathwayListPage(basePath(event), caller, report))
    : json(200, report);
});
