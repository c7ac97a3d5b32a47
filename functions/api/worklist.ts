import { scopeOf } from '#domain/access';
import { danishDate } from '#domain/dates';
import { isShown, taskActions } from '#domain/worklist';
import { authorize } from '#shared/caller';
import { clock } from '#shared/clock';
import { basePath, HttpError, htmlResponse, json, wantsHtml } from '#shared/http';
import { describeTask, type WorklistReport, worklistPage } from '#shared/list-pages';
import { worklistEntries } from '#shared/summary-store';
import { wrapHttpHandler } from '#shared/wrap-handler';

/**
 * GET /tasks ("Opgaver"): what the signed-in caseworker or employment actor has to do today in their
 * municipality, oldest deadline first: milestones awaiting confirmation, inductions without a placement, phases
 * ending within 14 days, failed workflow steps. Each task is shown to the roles that may resolve it
 * (domain/worklist.ts `taskActions`) and links to the form that does; it is gone once that form's record is
 * stored (the projector recomputes the pathway's tasks). One index query for the municipality, no Scan.
 */
export const handler = wrapHttpHandler('worklist', async (event) => {
  const caller = authorize(event, 'read-worklist');
  // The worklist is a municipality's; every role with it has one (domain/access.ts: own scope).
  const municipality = caller.municipality;
  if (!municipality) throw new HttpError(404, [{ field: 'municipality', message: 'Kommunen findes ikke' }]);
  const today = danishDate(clock.now());
  const base = basePath(event);
  const entries = await worklistEntries(municipality, today);
  const tasks = entries
    .flatMap((entry) =>
      entry.tasks
        .filter((task) => isShown(task, today) && scopeOf(caller.role, taskActions[task.kind]) !== undefined)
        .map((task) => ({
          referralId: entry.referralId,
          name: entry.name,
          kind: task.kind,
          due: task.due,
          overdue: task.due < today,
          ...describeTask(task, entry.referralId, base),
        })),
    )
    .sort((a, b) => a.due.localeCompare(b.due) || a.name.localeCompare(b.name, 'da'));
  const report: WorklistReport = { today, municipality, tasks };
  return wantsHtml(event) && event.queryStringParameters?.format !== 'json'
    ? htmlResponse(200, worklistPage(base, caller, report))
    : json(200, report);
});
