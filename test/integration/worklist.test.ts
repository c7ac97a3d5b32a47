import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.ts';
import { registerOwnCompany } from './companies.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * The lists people work from (issue 8), over HTTP on the embedded default: the projector keeps each pathway's
 * summary from the table stream, the pathway list pages through a municipality's pathways by the byMunicipality
 * index, and the worklist shows what is due today until the form that resolves it has been used.
 */
let runtime: LocalRuntime;
let api: Api;
const scaleBefore = process.env.PROGRAMME_SCALE;
/** Kolding's employment actor's own company, where the induction placement goes (a company record, issue 7). */
const OWN_COMPANY = '29000026';

beforeAll(async () => {
  // Enough places for a list longer than a page (the handlers read the scale when they are first loaded).
  process.env.PROGRAMME_SCALE = '300';
  ({ runtime, api } = await startSystem());
  await registerOwnCompany(api, '621', OWN_COMPANY, 'Kolding Genbrug (socialøkonomisk)');
});

afterAll(async () => {
  await runtime?.stop();
  if (scaleBefore === undefined) delete process.env.PROGRAMME_SCALE;
  else process.env.PROGRAMME_SCALE = scaleBefore;
});

interface ListPage {
  municipality: string | null;
  counts: { municipality: string; phases: Record<string, number> }[];
  items: { referralId: string; name: string; phase: string; nextDeadline: string | null; tasks: number }[];
  nextCursor: string | null;
}

interface Worklist {
  today: string;
  tasks: { referralId: string; kind: string; due: string; href: string; text: string }[];
}

describe('the worklist and the pathway list', () => {
  it('shows a task when it is due and drops it once the form that resolves it is used', async () => {
    // Prepare: a Kolding pathway, into induction.
    const kolding = { role: 'employment-actor' as const, municipality: '621' };
    const caseworker = { role: 'caseworker' as const, municipality: '621' };
    const referral = await api.refer({ cpr: cpr(1), name: 'Bente Worklist', startDate: await api.today() });
    expect(referral.status).toBe(201);
    const id = String(referral.json.referralId);
    await runtime.settle();
    const tasks = async (who: typeof kolding | typeof caseworker) =>
      ((await api.as(who).request('GET', '/tasks')).json as unknown as Worklist).tasks.filter(
        (t) => t.referralId === id,
      );
    expect(await tasks(kolding)).toEqual([]);

    // Act 1: the training phase ends within 14 days, then induction begins without a placement.
    await api.advance(170);
    const ending = await tasks(kolding);
    await api.advance(13);
    const induction = await tasks(kolding);
    const placed = await api.request('POST', `/referrals/${id}/placement`, {
      type: 'own-company',
      companyCvr: OWN_COMPANY,
    });
    await runtime.settle();
    const afterPlacement = await tasks(kolding);

    // Assess 1
    expect(ending.map((t) => t.kind)).toEqual(['phase-ending']);
    expect(induction.map((t) => t.kind)).toEqual(['place-induction']);
    expect(induction[0]?.href).toBe(`/referrals/${id}#placement-form`);
    expect(placed.status).toBe(201);
    expect(afterPlacement.map((t) => t.kind)).toEqual([]);

    // Act 2: a job, and 13 weeks later its milestone opens.
    const jobDate = await api.today();
    const job = await api.request('POST', `/referrals/${id}/outcomes`, {
      type: 'job-start',
      date: jobDate,
      hoursPerWeek: 37,
      employer: 'Kolding Bageri ApS',
    });
    expect(job.status).toBe(201);
    await runtime.settle();
    await api.advance(91);
    const actorsList = await tasks(kolding);
    const caseworkersList = await tasks(caseworker);
    const page = await api.as(kolding).request('GET', '/tasks', undefined, { Accept: 'text/html' });
    const confirmed = await api.request('POST', `/referrals/${id}/confirmations`, {
      milestone: 13,
      employed: true,
    });
    await runtime.settle();
    const afterConfirmation = await tasks(kolding);

    // Assess 2: the actor, who confirms, sees it and its form; the caseworker, who may not confirm, does not.
    expect(actorsList.map((t) => t.kind)).toEqual(['confirm-milestone']);
    expect(actorsList[0]?.href).toBe(`/referrals/${id}#confirm-milestone`);
    expect(caseworkersList.map((t) => t.kind)).toEqual([]);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Opgaver</h1>');
    expect(page.text).toContain(`href="/referrals/${id}#confirm-milestone"`);
    expect(confirmed.status).toBe(201);
    expect(afterConfirmation).toEqual([]);
  });

  it('pages through a few hundred pathways by next deadline, filters by phase and name, and counts per phase', async () => {
    // Prepare: 240 more Kolding pathways (and the one above), two of them named for the search.
    const today = await api.today();
    for (let n = 0; n < 240; n++) {
      const answer = await api.refer({
        cpr: cpr(100 + n),
        name: n === 7 ? 'Søren Søgbar' : n === 170 ? 'Sørine Søgbar' : `Borger ${n}`,
        startDate: today,
      });
      expect(answer.status).toBe(201);
    }
    await runtime.settle();
    const caseworker = api.as({ role: 'caseworker', municipality: '621' });

    // Act: every page of 100.
    const pages: ListPage[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=100&cursor=${cursor}` : '?limit=100';
      const answer = await caseworker.request('GET', `/referrals${query}`);
      expect(answer.status).toBe(200);
      const listed = answer.json as unknown as ListPage;
      pages.push(listed);
      cursor = listed.nextCursor;
    } while (cursor);
    const searched = (await caseworker.request('GET', '/referrals?q=s%C3%B8gbar'))
      .json as unknown as ListPage;
    const inTracking = (await caseworker.request('GET', '/referrals?phase=tracking'))
      .json as unknown as ListPage;
    const aalborg = (await api.as({ role: 'caseworker', municipality: '851' }).request('GET', '/referrals'))
      .json as unknown as ListPage;
    const peek = await api
      .as({ role: 'caseworker', municipality: '851' })
      .request('GET', '/referrals?municipality=621');
    const forged = await caseworker.request('GET', '/referrals?cursor=eyJwayI6MX0');

    // Assess: every pathway once, soonest deadline first, across pages of 100.
    const all = pages.flatMap((p) => p.items);
    expect(pages.map((p) => p.items.length)).toEqual([100, 100, 41]);
    expect(new Set(all.map((i) => i.referralId)).size).toBe(241);
    const deadlines = all.map((i) => i.nextDeadline ?? '9999-12-31');
    expect(deadlines).toEqual([...deadlines].sort());
    expect(pages[0]?.counts).toEqual([
      { municipality: '621', name: 'Kolding', phases: { training: 240, tracking: 1 } },
    ]);
    expect(searched.items.map((i) => i.name).sort()).toEqual(['Søren Søgbar', 'Sørine Søgbar']);
    expect(inTracking.items.map((i) => i.name)).toEqual(['Bente Worklist']);
    // Another municipality's list and counts do not show Kolding's; asking for Kolding's is as for nothing.
    expect(aalborg.items).toEqual([]);
    expect(aalborg.counts.map((c) => c.municipality)).toEqual(['851']);
    expect(peek.status).toBe(404);
    expect(forged.status).toBe(400);
  });

  it('rebuilds the summaries of pathways stored before the projector existed, and counts each once', async () => {
    // Prepare: Kolding's read side as a table from before the projector: no summaries, no worklist entries, no
    // phase counts (the pathways themselves untouched).
    const caseworker = api.as({ role: 'caseworker', municipality: '621' });
    const before = (await caseworker.request('GET', '/referrals?limit=100')).json as unknown as ListPage;
    let cursor: string | null = before.nextCursor;
    const ids = before.items.map((i) => i.referralId);
    while (cursor) {
      const next = (await caseworker.request('GET', `/referrals?limit=100&cursor=${cursor}`))
        .json as unknown as ListPage;
      ids.push(...next.items.map((i) => i.referralId));
      cursor = next.nextCursor;
    }
    const table = new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
    const remove = (pk: string, sk: string) =>
      table.send(
        new DeleteItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: pk }, sk: { S: sk } } }),
      );
    for (const id of ids) {
      await remove(`SUMMARY#${id}`, 'SUMMARY');
      await remove(`SUMMARY#${id}`, 'TASKS');
    }
    await remove('MUNICIPALITY#621', 'PHASE_COUNTS');
    const emptied = (await caseworker.request('GET', '/referrals')).json as unknown as ListPage;

    // Act: the projector's rebuild, as an operator (or npm start) invokes it; twice, as a retry might.
    const first = (await runtime.rebuildViews()) as { checked: number; changed: number };
    const second = (await runtime.rebuildViews()) as { checked: number; changed: number };
    const after = (await caseworker.request('GET', '/referrals?limit=100')).json as unknown as ListPage;

    // Assess: gone, then every pathway back once, and the second rebuild found nothing to change.
    expect(emptied.items).toEqual([]);
    expect(first.changed).toBe(ids.length);
    expect(second.changed).toBe(0);
    expect(after.counts[0]?.phases).toEqual(before.counts[0]?.phases);
    expect(after.items.map((i) => i.referralId)).toEqual(before.items.map((i) => i.referralId));
  });
});
