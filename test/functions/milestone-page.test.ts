import { describe, expect, it } from 'vitest';
import { referralPage } from '#shared/html';
import type { MilestoneRecord, OutcomeRecord } from '#shared/pathway-store';
import { referralView } from '#shared/referral-view';
import { callers, referralId } from './support.ts';
import { milestoneRecord as milestone, referralRecord } from './support-records.ts';

/** The pathway page's milestones: what each follows (job or education), its status and a form fitted to it. */

const outcome = (outcomeId: string, type: OutcomeRecord['type']): OutcomeRecord => ({
  referralId,
  outcomeId,
  type,
  date: '2027-01-04',
  hoursPerWeek: type === 'job-start' ? 37 : undefined,
  recordedAt: '2027-01-04T09:00:00.000Z',
  recordedBy: 'kolding-aktoer',
  phaseAtOutcome: 'induction',
});
const pageOf = (outcomes: OutcomeRecord[], milestones: MilestoneRecord[], errors = false) =>
  String(
    referralPage(
      '/prod',
      callers.koldingActor,
      referralView({
        referral: referralRecord({ phase: 'tracking' }),
        events: [],
        outcomes,
        payments: [],
        milestones,
        failures: [],
      }),
      errors
        ? {
            form: 'confirmation',
            errors: [{ field: 'endedOn', message: 'Slutdatoen skal ligge mellem uddannelsesstart og i dag' }],
          }
        : undefined,
    ),
  );
const forms = (markup: string) => markup.match(/<form [^>]*\/confirmations"[\s\S]*?<\/form>/g) ?? [];
const ids = (markup: string) => [...markup.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
const labelTargets = (markup: string) => [...markup.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]);

describe('the pathway page’s milestones', () => {
  it('asks about enrolment at an education milestone, sending the milestone and its result along', () => {
    // Act
    const markup = pageOf([outcome('edu-1', 'education-start')], [milestone('edu-1')]);
    // Assess
    const [form, ...more] = forms(markup);
    expect(more).toHaveLength(0);
    expect(form).toContain('data-follows="education-start"');
    expect(form).toContain('<label for="confirmation-employed">Er borgeren stadig i uddannelse?</label>');
    expect(form).toContain('<option value="true">Ja, stadig i uddannelse</option>');
    expect(form).toContain('<option value="false">Nej, uddannelsen er afbrudt</option>');
    expect(form).toContain('(hvis uddannelsen er afbrudt)');
    expect(form).toContain('<input type="hidden" name="milestone" value="13">');
    expect(form).toContain('<input type="hidden" name="outcomeId" value="edu-1">');
    expect(form).not.toContain('job');
    expect(markup).toMatch(/<td>13 uger<\/td><td>Uddannelse<\/td>/);
  });

  it('shows a form per open milestone, each asking about its own result, every label tied to its own field', () => {
    // Act
    const markup = pageOf(
      [outcome('job-1', 'job-start'), outcome('edu-1', 'education-start')],
      [milestone('job-1'), milestone('edu-1', { dueOn: '2027-04-12', deadlineOn: '2027-05-10' })],
    );
    // Assess
    const [jobForm, educationForm] = forms(markup);
    expect(jobForm).toContain('Er borgeren stadig i job?');
    expect(jobForm).toContain('name="outcomeId" value="job-1"');
    expect(educationForm).toContain('Er borgeren stadig i uddannelse?');
    expect(educationForm).toContain('name="outcomeId" value="edu-1"');
    const all = ids(markup);
    expect(new Set(all).size).toBe(all.length);
    for (const target of labelTargets(markup)) expect(all).toContain(target);
    expect(labelTargets(markup)).toEqual(
      expect.arrayContaining([
        'confirmation-employed',
        'confirmation-endedOn',
        'confirmation-2-employed',
        'confirmation-2-endedOn',
      ]),
    );
  });

  it('labels an ended education “Uddannelse afbrudt” and an ended job as before', () => {
    // Act
    const markup = pageOf(
      [outcome('job-1', 'job-start'), outcome('edu-1', 'education-start')],
      [
        milestone('job-1', { status: 'job-ended', endedOn: '2027-03-01' }),
        milestone('edu-1', { status: 'job-ended', endedOn: '2027-03-01', dueOn: '2027-04-12' }),
      ],
    );
    // Assess
    expect(markup).toContain(
      '<span data-milestone="13" data-follows="job-start" data-status="job-ended">Jobbet er ophørt</span>',
    );
    expect(markup).toContain(
      '<span data-milestone="13" data-follows="education-start" data-status="job-ended">Uddannelse afbrudt</span>',
    );
    expect(forms(markup)).toHaveLength(0);
  });

  it('shows a refused answer at its field with one form, and in the summary alone with several', () => {
    // Act
    const one = pageOf([outcome('edu-1', 'education-start')], [milestone('edu-1')], true);
    const two = pageOf(
      [outcome('job-1', 'job-start'), outcome('edu-1', 'education-start')],
      [milestone('job-1'), milestone('edu-1', { dueOn: '2027-04-12' })],
      true,
    );
    // Assess
    expect(one).toContain('<p class="error" id="confirmation-endedOn-error">');
    expect(two).not.toContain('class="error"');
    expect(two).toContain('<li>Slutdatoen skal ligge mellem uddannelsesstart og i dag</li>');
  });

  it('escapes what it sends along', () => {
    const markup = pageOf([outcome('"><script>x', 'education-start')], [milestone('"><script>x')]);
    expect(markup).not.toContain('<script>x');
    expect(markup).toContain('value="&quot;&gt;&lt;script&gt;x"');
  });
});
