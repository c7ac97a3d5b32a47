import { describe, expect, it } from 'vitest';
import {
  type Dashboard,
  type DashboardPathway,
  type DashboardPayment,
  dashboard,
  dashboardOutcomeTypes,
  dashboardPhases,
  scopeDashboard,
} from '#domain/dashboard';
import type { Phase } from '#domain/pathway';
import { municipalities } from '#domain/programme';

let next = 0;
function pathway(overrides: Partial<DashboardPathway> = {}): DashboardPathway {
  next += 1;
  return {
    referralId: `r-${next}`,
    municipality: '621',
    phase: 'training',
    referredOn: '2026-03-02',
    outcomes: [],
    ...overrides,
  };
}

function payment(overrides: Partial<DashboardPayment> = {}): DashboardPayment {
  return {
    municipality: '621',
    amountOere: 1_500_000,
    dueDate: '2026-09-15',
    payee: 'employment-actor',
    ...overrides,
  };
}

const group = (board: Dashboard, key: string) => {
  const found = [board.programme, ...board.clusters, ...board.municipalities].find((g) => g.key === key);
  if (!found) throw new Error(`No group ${key}`);
  return found;
};

describe('dashboard: places', () => {
  it('has all 12 municipalities, 2 clusters of 9 places and the programme of 18 without any data', () => {
    // Act
    const board = dashboard([], []);

    // Assess
    expect(board.municipalities.map((m) => m.key)).toEqual(municipalities.map((m) => m.code));
    expect(board.clusters.map((c) => [c.key, c.name, c.places, c.placesFree])).toEqual([
      ['cluster-1', 'Klynge 1 (2019)', 9, 9],
      ['cluster-2', 'Klynge 2 (2020)', 9, 9],
    ]);
    expect(board.programme).toMatchObject({ kind: 'programme', places: 18, placesUsed: 0, placesFree: 18 });
    expect(board.months).toEqual([]);
    expect(board.programme.months).toEqual([]);
  });

  it.each<[string, Phase[], number, number]>([
    ['no pathways', [], 0, 1],
    ['one waiting for its start date', ['referred'], 1, 0],
    ['one in training', ['training'], 1, 0],
    ['one in induction, one closed', ['induction', 'closed'], 1, 0],
    ['one tracking', ['tracking'], 1, 0],
    ['only closed ones', ['closed', 'closed'], 0, 1],
    ['more open than places (never negative)', ['training', 'induction', 'tracking'], 3, 0],
  ])('Kolding (1 place) with %s: %j uses %i and leaves %i free', (_, phases, used, free) => {
    // Prepare
    const pathways = phases.map((phase) => pathway({ phase }));

    // Act
    const kolding = group(dashboard(pathways, []), '621');

    // Assess
    expect(kolding.places).toBe(1);
    expect(kolding.placesUsed).toBe(used);
    expect(kolding.placesFree).toBe(free);
    expect(kolding.pathways).toBe(phases.length);
  });

  it('takes each municipality’s places from placesOf (a programme at scale)', () => {
    // Act
    const board = dashboard([pathway()], [], { placesOf: (m) => m.places * 3 });

    // Assess
    expect(board.programme.places).toBe(54);
    expect(group(board, '621')).toMatchObject({ places: 3, placesUsed: 1, placesFree: 2 });
    expect(group(board, 'cluster-1')).toMatchObject({ places: 27, placesUsed: 1, placesFree: 26 });
  });

  it('sums free places per municipality: Kolding overbooked does not use Aalborg’s free places', () => {
    // Prepare: Kolding (1 place) with 2 open pathways, Aalborg (2 places) with none.
    const pathways = [pathway({ phase: 'training' }), pathway({ phase: 'induction' })];

    // Act
    const cluster = group(dashboard(pathways, []), 'cluster-1');

    // Assess: 9 places, 2 used, but 8 free: the spare places lie in other municipalities.
    expect(cluster).toMatchObject({ places: 9, placesUsed: 2, placesFree: 8 });
  });
});

describe('dashboard: pathways by phase', () => {
  it('counts each phase per municipality, and clusters and programme are the sums', () => {
    // Prepare: Kolding and Aalborg in cluster 1, Køge in cluster 2.
    const pathways = [
      pathway({ municipality: '621', phase: 'training' }),
      pathway({ municipality: '621', phase: 'closed' }),
      pathway({ municipality: '851', phase: 'induction' }),
      pathway({ municipality: '851', phase: 'tracking' }),
      pathway({ municipality: '851', phase: 'referred' }),
      pathway({ municipality: '259', phase: 'closed' }),
    ];

    // Act
    const board = dashboard(pathways, []);

    // Assess
    expect(group(board, '621').byPhase).toEqual({
      referred: 0,
      training: 1,
      induction: 0,
      tracking: 0,
      closed: 1,
    });
    expect(group(board, 'cluster-1').byPhase).toEqual({
      referred: 1,
      training: 1,
      induction: 1,
      tracking: 1,
      closed: 1,
    });
    expect(group(board, 'cluster-2').byPhase.closed).toBe(1);
    // Aalborg's 3 open pathways overbook its 2 places: 4 used of 18, yet 15 free (none in Aalborg or Kolding).
    expect(board.programme).toMatchObject({ pathways: 6, placesUsed: 4, placesFree: 15 });
    for (const phase of dashboardPhases) {
      expect(board.programme.byPhase[phase]).toBe(
        board.municipalities.reduce((sum, m) => sum + m.byPhase[phase], 0),
      );
    }
  });
});

describe('dashboard: months', () => {
  it('puts referrals, outcomes by type and payments by payee in their months, on one axis without gaps', () => {
    // Prepare
    const pathways = [
      pathway({
        municipality: '621',
        referredOn: '2026-03-02',
        outcomes: [
          { type: 'job-start', date: '2026-09-07' },
          { type: 'dropout', date: '2026-11-30' },
        ],
      }),
      pathway({
        municipality: '259',
        referredOn: '2026-04-01',
        outcomes: [{ type: 'education-start', date: '2026-09-30' }],
      }),
    ];
    const payments = [
      payment({ municipality: '621', amountOere: 1_500_000, dueDate: '2026-09-15' }),
      payment({
        municipality: '621',
        amountOere: 250_001,
        dueDate: '2026-09-30',
        payee: 'social-accelerator',
      }),
      payment({ municipality: '259', amountOere: 999, dueDate: '2026-12-01' }),
    ];

    // Act
    const board = dashboard(pathways, payments);

    // Assess: March to December 2026, ten months, empty ones included.
    expect(board.months).toEqual([
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    const kolding = group(board, '621');
    expect(kolding.months.map((m) => m.month)).toEqual(board.months);
    expect(kolding.months.find((m) => m.month === '2026-09')).toEqual({
      month: '2026-09',
      referrals: 0,
      outcomes: { 'job-start': 1, 'education-start': 0, dropout: 0 },
      paidOere: 1_750_001,
      paidToEmploymentActorsOere: 1_500_000,
      paidToAcceleratorOere: 250_001,
    });
    expect(kolding.months.find((m) => m.month === '2026-11')?.outcomes.dropout).toBe(1);
    expect(kolding.outcomes).toEqual({ 'job-start': 1, 'education-start': 0, dropout: 1 });
    expect(kolding).toMatchObject({
      paidOere: 1_750_001,
      paidToEmploymentActorsOere: 1_500_000,
      paidToAcceleratorOere: 250_001,
    });
    const programmeSeptember = board.programme.months[6];
    expect(programmeSeptember?.outcomes).toEqual({ 'job-start': 1, 'education-start': 1, dropout: 0 });
    expect(board.programme.months.map((m) => m.referrals)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(board.programme.months.map((m) => m.paidOere)).toEqual([0, 0, 0, 0, 0, 0, 1_750_001, 0, 0, 999]);
    expect(board.programme.paidOere).toBe(1_751_000);
    // Every month of every cluster is the sum of its municipalities' months, to the øre.
    for (const [i, month] of board.programme.months.entries()) {
      expect(month.paidOere).toBe(board.clusters.reduce((sum, c) => sum + (c.months[i]?.paidOere ?? 0), 0));
      for (const type of dashboardOutcomeTypes) {
        expect(month.outcomes[type]).toBe(
          board.municipalities.reduce((sum, m) => sum + (m.months[i]?.outcomes[type] ?? 0), 0),
        );
      }
    }
  });

  it('runs the axis across a year end', () => {
    // Act
    const board = dashboard([pathway({ referredOn: '2019-11-30' })], [payment({ dueDate: '2020-02-01' })]);

    // Assess
    expect(board.months).toEqual(['2019-11', '2019-12', '2020-01', '2020-02']);
  });
});

describe('dashboard: refusals', () => {
  it.each<[string, DashboardPathway[], DashboardPayment[], RegExp]>([
    ['a pathway outside the programme', [pathway({ municipality: '101' })], [], /municipality 101/],
    ['a payment outside the programme', [], [payment({ municipality: '101' })], /municipality 101/],
    ['an amount that is not whole øre', [], [payment({ amountOere: 10.5 })], /whole øre/],
    ['a referral date that is no date', [pathway({ referredOn: '2026-02-30' })], [], /calendar date/],
    [
      'an outcome date that is no date',
      [pathway({ outcomes: [{ type: 'job-start', date: '7/9/2026' }] })],
      [],
      /calendar date/,
    ],
    ['a due date that is no date', [], [payment({ dueDate: '2026-13-01' })], /calendar date/],
    [
      'a referral listed twice',
      [pathway({ referralId: 'twice' }), pathway({ referralId: 'twice' })],
      [],
      /listed twice/,
    ],
  ])('refuses %s', (_, pathways, payments, message) => {
    // Act
    const act = () => dashboard(pathways, payments);

    // Assess
    expect(act).toThrow(message);
  });

  it('refuses places that are not a whole number ≥ 0', () => {
    // Act
    const act = () => dashboard([], [], { placesOf: () => -1 });

    // Assess
    expect(act).toThrow(/whole number ≥ 0/);
  });
});

describe('scopeDashboard', () => {
  it.each<[string, readonly string[] | undefined, string[], boolean]>([
    ['everything for all', undefined, municipalities.map((m) => m.code), true],
    ['one municipality without clusters and programme', ['621'], ['621'], false],
    ['nothing for none', [], [], false],
  ])('shows %s', (_, shown, keys, withSums) => {
    // Prepare
    const board = dashboard([pathway()], [payment()]);

    // Act
    const view = scopeDashboard(board, shown);

    // Assess
    expect(view.municipalities.map((m) => m.key)).toEqual(keys);
    expect(view.programme !== null).toBe(withSums);
    expect(view.clusters).toHaveLength(withSums ? 2 : 0);
    expect(view.months).toEqual(board.months);
  });
});
