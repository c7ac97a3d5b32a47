import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '#domain/dates';
import type { LocalSnsMessage } from '../../local/contracts.ts';
import type { LocalRuntime } from '../../local/runtime.ts';
import { type Api, cpr, startSystem } from './local-system.ts';

/**
 * Milestone reminders on the embedded default (issue 8, item 3): the Sustainment workflow's own timers tell
 * Kolding's employment actor that a milestone opened and, a week before its deadline, that it still waits, and
 * Kolding's caseworker that one lapsed unanswered; each reaches the local inbox once, without CPR number or name.
 */
let runtime: LocalRuntime;
let api: Api;

beforeAll(async () => {
  // An empty fault plan, so that the crash case below can set its own on the same system.
  ({ runtime, api } = await startSystem('WARN', { faults: {} }));
});

afterAll(async () => {
  await runtime?.stop();
});

const NAME = 'Birthe Reminder-Testsen';

interface PathwayView {
  milestones: Array<{ weeks: number; status: string; dueOn: string; deadlineOn: string }>;
  outcomes: Array<{ outcomeId: string; date: string }>;
}
const pathwayOf = async (id: string) =>
  (await api.request('GET', `/referrals/${id}`)).json as unknown as PathwayView;

/** The reminders of one pathway in the inbox, as `<kind> <weeks>`, in the order they were sent. */
const remindersOf = (id: string): LocalSnsMessage[] =>
  runtime.inbox.filter((m) => m.messageAttributes?.reminder && m.messageAttributes.referralId === id);
const kindsOf = (id: string) =>
  remindersOf(id).map(
    (m) => `${m.messageAttributes?.reminder} ${/Milepæl: (\d+) uger/.exec(m.message)?.[1]}`,
  );

/** Advances the local clock to `date` (a Danish calendar day). */
async function advanceTo(date: string): Promise<void> {
  const days = daysBetween(await api.today(), date);
  if (days < 0) throw new Error(`The clock is past ${date}`);
  if (days > 0) await api.advance(days);
}

async function referWithJob(n: number, municipality: string): Promise<string> {
  const created = await api.refer({ cpr: cpr(n), name: NAME, municipality, startDate: await api.today() });
  expect(created.status).toBe(201);
  const id = String(created.json.referralId);
  await api.advance(30);
  const job = await api.request('POST', `/referrals/${id}/outcomes`, {
    type: 'job-start',
    date: await api.today(),
    hoursPerWeek: 37,
    employer: 'Kolding Bageri ApS',
  });
  expect(job.status).toBe(201);
  await runtime.settle();
  return id;
}

describe('milestone reminders', () => {
  it('tells Kolding’s employment actor when the milestone opens and a week before its deadline, and the caseworker when one lapsed, each once', async () => {
    // Prepare: a Kolding citizen with a full-time job.
    const id = await referWithJob(700, '621');
    const jobDate = (await pathwayOf(id)).outcomes[0]?.date ?? '';

    // Act 1: the 13-week milestone falls due.
    await advanceTo(addDays(jobDate, 13 * 7));
    const opened = remindersOf(id);
    const worklist = await api.as({ role: 'employment-actor', municipality: '621' }).request('GET', '/tasks');

    // Assess 1: one reminder, to Kolding's employment actor, on the reminder topic, naming no citizen.
    expect(kindsOf(id)).toEqual(['milestone-opened 13']);
    const [message] = opened;
    expect(message?.messageAttributes).toMatchObject({ municipality: '621', audience: 'employment-actor' });
    expect(message?.topicArn).toMatch(/Reminders/);
    expect(message?.message).toContain(`Borgerreference (forløb): ${id}`);
    expect(message?.message).toContain(`Forløbets side: /referrals/${id}`);
    const sent = JSON.stringify(opened);
    expect(sent).not.toContain(cpr(700));
    expect(sent).not.toContain(cpr(700).replace('-', ''));
    expect(sent).not.toContain('Birthe');
    expect(sent).not.toContain('Testsen');
    // The employment actor's worklist holds the confirmation the e-mail asks for.
    expect(worklist.status).toBe(200);
    expect(worklist.text).toContain(id);

    // Act 2: the day before the deadline reminder, then its day.
    const thirteen = (await pathwayOf(id)).milestones[0];
    const reminderDay = addDays(thirteen?.deadlineOn ?? '', -7);
    await advanceTo(addDays(reminderDay, -1));
    const dayBefore = kindsOf(id);
    await advanceTo(reminderDay);

    // Assess 2
    expect(dayBefore).toEqual(['milestone-opened 13']);
    expect(kindsOf(id)).toEqual(['milestone-opened 13', 'deadline-approaching 13']);
    expect(remindersOf(id)[1]?.messageAttributes).toMatchObject({
      municipality: '621',
      audience: 'employment-actor',
    });

    // Act 3: the employment actor confirms the 13 weeks; the 26-week milestone opens and is left unanswered
    // past its deadline.
    const confirmed = await api.request('POST', `/referrals/${id}/confirmations`, {
      milestone: 13,
      employed: true,
    });
    await advanceTo(addDays(jobDate, 26 * 7));
    const twentySix = (await pathwayOf(id)).milestones.find((m) => m.weeks === 26);
    await advanceTo(addDays(twentySix?.deadlineOn ?? '', 2));
    await api.advance(30);

    // Assess 3: the caseworker hears of the lapse; nothing went out twice, nothing for the confirmed 13 weeks.
    expect(confirmed.status).toBe(201);
    expect((await pathwayOf(id)).milestones.map((m) => [m.weeks, m.status])).toEqual([
      [13, 'confirmed'],
      [26, 'unconfirmed'],
    ]);
    expect(kindsOf(id)).toEqual([
      'milestone-opened 13',
      'deadline-approaching 13',
      'milestone-opened 26',
      'deadline-approaching 26',
      'milestone-lapsed 26',
    ]);
    const lapsed = remindersOf(id)[4];
    expect(lapsed?.messageAttributes).toMatchObject({ municipality: '621', audience: 'caseworker' });
    expect(lapsed?.message).toContain('ikke bekræftet inden fristen');
    expect(new Set(remindersOf(id).map((m) => m.message)).size).toBe(5);
    const outcomeId = (await pathwayOf(id)).outcomes[0]?.outcomeId;
    expect(runtime.executions().find((e) => e.name === `sustain-${outcomeId}`)?.status).toBe('SUCCEEDED');
  });

  it('sends no reminder for a milestone confirmed before its deadline reminder, and none twice when the task crashes after sending', async () => {
    // Prepare: Aalborg (Kolding's one place is taken); every run of the reminder task crashes once after its
    // work, as a Lambda whose answer is lost.
    const id = await referWithJob(701, '851');
    const jobDate = (await pathwayOf(id)).outcomes[0]?.date ?? '';
    runtime.faults?.setPlan({ seed: 5, lambdaCrash: { every: 1, only: ['send-reminder'] } });

    // Act: the 13 weeks open and are confirmed at once; the 26 weeks open, the job has ended by then.
    await advanceTo(addDays(jobDate, 13 * 7));
    const confirmed = await api.request('POST', `/referrals/${id}/confirmations`, {
      milestone: 13,
      employed: true,
    });
    await advanceTo(addDays(jobDate, 26 * 7));
    const ended = await api.request('POST', `/referrals/${id}/confirmations`, {
      milestone: 26,
      employed: false,
      endedOn: await api.today(),
    });
    await api.advance(40);
    const injected = runtime.faults?.injected() ?? {};
    runtime.faults?.setPlan({});

    // Assess: the crashes happened and were retried; one opening reminder per milestone, no deadline reminder
    // (answered before it was due) and no lapse (an ended job is an answer).
    expect(confirmed.status).toBe(201);
    expect(ended.status).toBe(201);
    expect(injected).toMatchObject({ lambdaCrash: expect.any(Number) });
    expect((injected as Record<string, number>).lambdaCrash).toBeGreaterThanOrEqual(4);
    expect(kindsOf(id)).toEqual(['milestone-opened 13', 'milestone-opened 26']);
    expect(remindersOf(id).map((m) => m.messageAttributes?.municipality)).toEqual(['851', '851']);
    const outcomeId = (await pathwayOf(id)).outcomes[0]?.outcomeId;
    expect(runtime.executions().find((e) => e.name === `sustain-${outcomeId}`)?.status).toBe('SUCCEEDED');
  });
});
