import { formatDkk } from '#domain/money';
import { findMunicipality } from '#domain/programme';
import { type Pathway, type PaymentRecord, staircaseWeekOf } from './pathway-store.ts';

/** What a referral looks like to its readers: ids, phases, outcomes and payments; never the CPR number. */
export function referralView(pathway: Pathway) {
  const { referral } = pathway;
  const municipality = findMunicipality(referral.municipality);
  return {
    referralId: referral.referralId,
    phase: referral.phase,
    phaseStartedOn: referral.phaseStartedOn,
    phaseEndsOn: referral.phaseEndsOn,
    closedReason: referral.closedReason ?? null,
    name: referral.name,
    municipality: { code: referral.municipality, name: municipality?.name ?? referral.municipality },
    employmentActor: {
      id: referral.employmentActorId,
      name: municipality?.employmentActor.name ?? referral.employmentActorId,
    },
    benefit: referral.benefit,
    rateGroup: referral.rateGroup ?? null,
    readiness: referral.readiness,
    staircaseWeek: staircaseWeekOf(referral),
    /** Only on referrals made before the staircase week was asked for; null on later ones. */
    weeksOnBenefit: referral.weeksOnBenefit ?? null,
    startDate: referral.startDate,
    referredOn: referral.referredOn,
    phases: referral.plan,
    /** `companyCvr` is null on placements made before companies were records (a name only). */
    inductionPlacement: referral.inductionPlacement
      ? { ...referral.inductionPlacement, companyCvr: referral.inductionPlacement.companyCvr ?? null }
      : null,
    history: pathway.events
      .filter((e) => e.kind === 'phase-started')
      .sort((a, b) => a.seq - b.seq)
      .map((e) => ({
        phase: e.phase,
        startedOn: e.startedOn,
        endsOn: e.endsOn,
        recordedAt: e.at,
        recordedBy: e.by,
      })),
    outcomes: pathway.outcomes
      .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt))
      .map((o) => ({
        outcomeId: o.outcomeId,
        type: o.type,
        date: o.date,
        hoursPerWeek: o.hoursPerWeek ?? null,
        employer: o.employer ?? null,
        employerCvr: o.employerCvr ?? null,
        /** Derived from the employer's company record when recorded (ticked, on outcomes recorded before). */
        hiredByAcceleratorCompany: o.hiredByAcceleratorCompany ?? false,
        endedOn: o.endedOn ?? null,
        phaseAtOutcome: o.phaseAtOutcome,
        recordedAt: o.recordedAt,
        recordedBy: o.recordedBy,
      })),
    payments: pathway.payments.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(paymentView),
    milestones: pathway.milestones
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn))
      .map((m) => ({
        outcomeId: m.outcomeId,
        /** What the milestone follows: a job start, or an education start (confirming enrolment). */
        follows: followedType(pathway, m.outcomeId),
        weeks: m.weeks,
        dueOn: m.dueOn,
        deadlineOn: m.deadlineOn,
        status: m.status,
        /** Unanswered at the deadline: nothing is paid, and somebody should find out why. */
        followUp: m.status === 'unconfirmed',
        confirmedAt: m.confirmedAt ?? null,
        confirmedBy: m.confirmedBy ?? null,
        endedOn: m.endedOn ?? null,
      })),
    failures: pathway.failures.map((f) => ({ at: f.at, error: f.error })),
  };
}

export type ReferralView = ReturnType<typeof referralView>;

function followedType(pathway: Pathway, outcomeId: string): 'job-start' | 'education-start' {
  const type = pathway.outcomes.find((o) => o.outcomeId === outcomeId)?.type;
  return type === 'education-start' ? 'education-start' : 'job-start';
}

export function paymentView(p: PaymentRecord) {
  return {
    paymentId: p.paymentId,
    referralId: p.referralId,
    resultId: p.resultId,
    outcomeId: p.outcomeId,
    outcomeType: p.outcomeType,
    rule: p.rule,
    amountOere: p.amountOere,
    amount: formatDkk(p.amountOere),
    cappedFromOere: p.cappedFromOere ?? null,
    rateCardVersion: p.rateCardVersion,
    dueDate: p.dueDate,
    municipality: p.municipality,
    payee: { kind: p.payee, id: p.payeeId, name: p.payeeName },
    createdAt: p.createdAt,
    /** Who recorded the result the payment is for. */
    recordedBy: p.recordedBy ?? null,
    notifiedAt: p.notifiedAt ?? null,
  };
}
