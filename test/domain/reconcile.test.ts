import { describe, expect, it } from 'vitest';
import {
  corrections,
  type Expectations,
  expectedExecutions,
  type ObservedRun,
  type PathwayFacts,
} from '#domain/reconcile';
import { executionNames } from '#shared/execution-names';

const referralId = 'r1';
const today = '2027-06-01';

function facts(
  overrides: Partial<PathwayFacts> = {},
  referral: Partial<PathwayFacts['referral']> = {},
): PathwayFacts {
  return {
    referral: {
      referralId,
      phase: 'induction',
      phaseSeq: 2,
      phaseStartedOn: '2027-03-01',
      phaseEndsOn: '2027-09-01',
      ...referral,
    },
    outcomes: [],
    milestones: [],
    payments: [],
    ...overrides,
  };
}

const job = {
  outcomeId: 'job1',
  type: 'job-start' as const,
  date: '2027-05-20',
  hoursPerWeek: 37,
  recordedAt: '2027-05-20T08:00:00.000Z',
};

const education = {
  outcomeId: 'edu1',
  type: 'education-start' as const,
  date: '2027-05-20',
  recordedAt: '2027-05-20T08:00:00.000Z',
};
const educationPaid = { resultId: 'edu1', notifiedAt: '2027-05-20T09:00:00Z' };

const names = (expectations: Expectations) => ({
  wanted: expectations.wanted.map((w) => w.name),
  unwanted: expectations.unwanted.map((u) => `${u.name} (${u.why})`),
});

describe('what should run for a pathway', () => {
  it.each<[string, PathwayFacts, { wanted: string[]; unwanted: string[] }]>([
    [
      'the current phase timer, the earlier ones not',
      facts(),
      { wanted: ['r1-2'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'no timer for a closed pathway',
      facts({}, { phase: 'closed', phaseSeq: 3, phaseEndsOn: null, closedReason: 'completed' }),
      { wanted: [], unwanted: ['r1-1 (superseded-phase)', 'r1-2 (superseded-phase)'] },
    ],
    [
      'a running job is followed, and its payment is checked until it is written and notified',
      facts({ outcomes: [job] }),
      { wanted: ['r1-2', 'sustain-job1', 'payment-job1'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'a paid and notified result needs no payment run',
      facts({ outcomes: [job], payments: [{ resultId: 'job1', notifiedAt: '2027-05-20T09:00:00Z' }] }),
      { wanted: ['r1-2', 'sustain-job1'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'a payment written but not notified is not settled',
      facts({
        outcomes: [job],
        payments: [{ resultId: 'job1', notifiedAt: '2027-05-20T09:00:00Z' }, { resultId: 'job1' }],
      }),
      { wanted: ['r1-2', 'sustain-job1', 'payment-job1'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'a result older than the check window is left alone (its run record may have expired)',
      facts({ outcomes: [{ ...job, recordedAt: '2027-03-01T08:00:00Z' }] }),
      { wanted: ['r1-2', 'sustain-job1'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'a job of few hours is not followed',
      facts({ outcomes: [{ ...job, hoursPerWeek: 5 }] }),
      { wanted: ['r1-2', 'payment-job1'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'an ended job is no longer followed',
      facts({ outcomes: [{ ...job, endedOn: '2027-05-30' }] }),
      { wanted: ['r1-2', 'payment-job1'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'a drop-out stops the follow-up of its jobs',
      facts(
        { outcomes: [job], payments: [{ resultId: 'job1', notifiedAt: '2027-05-20T09:00:00Z' }] },
        { phase: 'closed', phaseSeq: 3, phaseEndsOn: null, closedReason: 'dropout' },
      ),
      {
        wanted: [],
        unwanted: ['r1-1 (superseded-phase)', 'r1-2 (superseded-phase)', 'sustain-job1 (dropped-out)'],
      },
    ],
    [
      'a completed pathway still follows a job started late in tracking',
      facts(
        { outcomes: [job], payments: [{ resultId: 'job1', notifiedAt: '2027-05-20T09:00:00Z' }] },
        { phase: 'closed', phaseSeq: 2, phaseEndsOn: null, closedReason: 'completed' },
      ),
      { wanted: ['sustain-job1'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'a confirmed milestone is a result with its own payment; an open one keeps the job followed',
      facts({
        outcomes: [job],
        payments: [{ resultId: 'job1', notifiedAt: '2027-05-20T09:00:00Z' }],
        milestones: [
          { outcomeId: 'job1', weeks: 13, status: 'confirmed', confirmedAt: '2027-05-25T10:00:00Z' },
          { outcomeId: 'job1', weeks: 26, status: 'awaiting-confirmation' },
        ],
      }),
      { wanted: ['r1-2', 'sustain-job1', 'payment-job1-w13'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'an education start is followed beside a running job',
      facts({
        outcomes: [job, education],
        payments: [{ ...educationPaid, resultId: 'job1' }, educationPaid],
      }),
      { wanted: ['r1-2', 'sustain-job1', 'sustain-edu1'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'an education confirmed at 13 weeks is still followed; its milestone has a (non-paying) payment run',
      facts({
        outcomes: [education],
        payments: [educationPaid],
        milestones: [
          { outcomeId: 'edu1', weeks: 13, status: 'confirmed', confirmedAt: '2027-05-25T10:00:00Z' },
        ],
      }),
      { wanted: ['r1-2', 'sustain-edu1', 'payment-edu1-w13'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'a dropped education is no longer followed',
      facts({
        outcomes: [{ ...education, endedOn: '2027-05-30' }],
        payments: [educationPaid],
        milestones: [{ outcomeId: 'edu1', weeks: 13, status: 'job-ended', endedOn: '2027-05-30' }],
      }),
      { wanted: ['r1-2'], unwanted: ['r1-1 (superseded-phase)'] },
    ],
    [
      'a drop-out stops the follow-up of an education too',
      facts(
        { outcomes: [education], payments: [educationPaid] },
        { phase: 'closed', phaseSeq: 3, phaseEndsOn: null, closedReason: 'dropout' },
      ),
      {
        wanted: [],
        unwanted: ['r1-1 (superseded-phase)', 'r1-2 (superseded-phase)', 'sustain-edu1 (dropped-out)'],
      },
    ],
  ])('%s', (_case, pathway, expected) => {
    // Act
    const expectations = expectedExecutions(pathway, executionNames, today);
    // Assess
    expect(names(expectations)).toEqual(expected);
  });

  it('builds each wanted execution from the facts the dispatcher uses', () => {
    // Act
    const { wanted } = expectedExecutions(
      facts({
        outcomes: [job],
        milestones: [
          { outcomeId: 'job1', weeks: 13, status: 'confirmed', confirmedAt: '2027-05-25T10:00:00Z' },
        ],
      }),
      executionNames,
      today,
    );
    // Assess
    expect(wanted).toEqual([
      {
        workflow: 'phase-timer',
        name: 'r1-2',
        referralId,
        phaseSeq: 2,
        phase: 'induction',
        phaseEndsAt: '2027-08-31T22:00:00Z',
      },
      { workflow: 'sustainment', name: 'sustain-job1', referralId, outcomeId: 'job1', date: '2027-05-20' },
      { workflow: 'payment', name: 'payment-job1', referralId, outcomeId: 'job1' },
      { workflow: 'payment', name: 'payment-job1-w13', referralId, outcomeId: 'job1', milestoneWeeks: 13 },
    ]);
  });
});

describe('what to start and stop', () => {
  const expectations: Expectations = {
    wanted: [
      {
        workflow: 'phase-timer',
        name: 'r1-2',
        referralId,
        phaseSeq: 2,
        phase: 'induction',
        phaseEndsAt: 'x',
      },
    ],
    unwanted: [{ workflow: 'sustainment', name: 'sustain-job1', why: 'dropped-out' }],
  };
  const run = (name: string, status: ObservedRun['status']): ObservedRun => ({ name, status });

  it.each<[string, ObservedRun[], { start: string[]; givenUp: string[] }]>([
    ['missing: started under the dispatcher’s name', [], { start: ['r1-2'], givenUp: [] }],
    ['running: left alone', [run('r1-2', 'RUNNING')], { start: [], givenUp: [] }],
    ['succeeded: left alone', [run('r1-2', 'SUCCEEDED')], { start: [], givenUp: [] }],
    [
      'stopped: started again as the first restart',
      [run('r1-2', 'ABORTED')],
      { start: ['r1-2-r1'], givenUp: [] },
    ],
    [
      'failed after a restart: the next restart',
      [run('r1-2', 'ABORTED'), run('r1-2-r1', 'FAILED')],
      { start: ['r1-2-r2'], givenUp: [] },
    ],
    [
      'a restart running: left alone',
      [run('r1-2', 'ABORTED'), run('r1-2-r1', 'RUNNING')],
      { start: [], givenUp: [] },
    ],
    [
      'ended badly every time: given up, for an operator',
      [
        run('r1-2', 'FAILED'),
        run('r1-2-r1', 'FAILED'),
        run('r1-2-r2', 'TIMED_OUT'),
        run('r1-2-r3', 'FAILED'),
      ],
      { start: [], givenUp: ['r1-2'] },
    ],
  ])('a wanted execution %s', (_case, runs, expected) => {
    // Act
    const found = corrections(expectations, new Map([['r1-2', runs]]), executionNames.restart);
    // Assess
    expect({ start: found.start.map((s) => s.runName), givenUp: found.givenUp }).toEqual(expected);
  });

  it.each<[string, ObservedRun[], string[]]>([
    ['never started', [], []],
    ['finished', [run('sustain-job1', 'SUCCEEDED')], []],
    ['running', [run('sustain-job1', 'RUNNING')], ['sustain-job1']],
    [
      'running as a restart',
      [run('sustain-job1', 'ABORTED'), run('sustain-job1-r1', 'RUNNING')],
      ['sustain-job1-r1'],
    ],
  ])('an unwanted execution %s is stopped when running', (_case, runs, stopped) => {
    // Act
    const found = corrections(
      expectations,
      new Map([
        ['r1-2', [run('r1-2', 'RUNNING')]],
        ['sustain-job1', runs],
      ]),
      executionNames.restart,
    );
    // Assess
    expect(found.stop.map((s) => s.runName)).toEqual(stopped);
  });
});
