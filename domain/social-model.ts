import { z } from 'zod';
import { containsCprShape } from './cpr.ts';

/**
 * The social model (issue 7, item 3): what the accelerator builds with each company, tracked as a checklist with a
 * status and evidence per item. The last item is the seed's condition for the fund to leave: the model is known by
 * all partners, so that the partnership can continue without it. "Implemented" (every item done with evidence, at
 * least one buddy trained) is what the company-side result `social-model-implemented` verifies at 12 months
 * (domain/company-results.ts).
 */

export const socialModelItems = [
  'induction-plan',
  'value-creating-tasks',
  'buddies-trained',
  'model-documented',
  'model-known-to-partners',
] as const;
export type SocialModelItemId = (typeof socialModelItems)[number];

export const socialModelItemLabels: Record<SocialModelItemId, string> = {
  'induction-plan': 'Indslusningsplan for udsatte borgere',
  'value-creating-tasks': 'Værdiskabende opgaver identificeret',
  'buddies-trained': 'Medarbejdere uddannet som buddies',
  'model-documented': 'Modellen dokumenteret',
  'model-known-to-partners': 'Modellen kendt af alle partnere, så partnerskabet kan fortsætte uden fonden',
};

export const itemStatuses = ['not-started', 'in-progress', 'done'] as const;
export type ItemStatus = (typeof itemStatuses)[number];

export const itemStatusLabels: Record<ItemStatus, string> = {
  'not-started': 'Ikke påbegyndt',
  'in-progress': 'I gang',
  done: 'Gennemført',
};

/** The most buddies one company is taken to train: above it, the number is a typing error. */
export const MAX_BUDDIES = 500;
export const MAX_EVIDENCE_CHARS = 2000;

export interface SocialModelItem {
  status: ItemStatus;
  /** What shows the item is done (a document's name, a date of a meeting, …); required once done. */
  evidence?: string;
  /** Only on 'buddies-trained': staff trained as buddies so far. */
  buddies?: number;
  /** Instant (ISO timestamp) and user of the last change; absent on an item never touched. */
  updatedAt?: string;
  updatedBy?: string;
}

/** One item per id; pages list them in the order of `socialModelItems`. */
export type SocialModelChecklist = Readonly<Record<SocialModelItemId, SocialModelItem>>;

export function emptyChecklist(): SocialModelChecklist {
  return {
    'induction-plan': { status: 'not-started' },
    'value-creating-tasks': { status: 'not-started' },
    'buddies-trained': { status: 'not-started', buddies: 0 },
    'model-documented': { status: 'not-started' },
    'model-known-to-partners': { status: 'not-started' },
  };
}

const ITEM_MESSAGE = `Punkt skal være et af: ${socialModelItems.join(', ')}`;
const STATUS_MESSAGE =
  'Status skal være not-started (ikke påbegyndt), in-progress (i gang) eller done (gennemført)';
const EVIDENCE_MESSAGE = `Dokumentation skal være tekst på højst ${MAX_EVIDENCE_CHARS} tegn`;
const BUDDIES_MESSAGE = `Antal buddies skal være et helt tal fra 0 til ${MAX_BUDDIES}`;

/** An empty form field or a JSON null is an absent value. */
const absent = (v: unknown) => (v === '' || v === null ? undefined : v);

/**
 * An update of one checklist item over the API or from the company page's form. Evidence and the buddy count are
 * optional in general: an update that leaves them out keeps what the item had. Marking an item done needs its
 * evidence in the same request (so "done" is always backed by what the user saw when they ticked it), and marking
 * 'buddies-trained' done needs at least one buddy in the same request.
 */
export const socialModelItemUpdate = z
  .object({
    item: z.enum(socialModelItems, { error: ITEM_MESSAGE }),
    status: z.enum(itemStatuses, { error: STATUS_MESSAGE }),
    evidence: z.preprocess(
      absent,
      z
        .string({ error: EVIDENCE_MESSAGE })
        .trim()
        .max(MAX_EVIDENCE_CHARS, { error: EVIDENCE_MESSAGE })
        // Evidence is free text shown on pages: a CPR number typed into it would be stored and shown in clear.
        .refine((text) => !containsCprShape(text), { error: 'Dokumentation må ikke indeholde et CPR-nummer' })
        // Only blanks is no evidence.
        .transform((text) => (text === '' ? undefined : text))
        .optional(),
    ),
    buddies: z.preprocess(
      absent,
      z
        .union(
          [
            z.number({ error: BUDDIES_MESSAGE }),
            z
              .string({ error: BUDDIES_MESSAGE })
              .trim()
              .regex(/^-?\d+$/, { error: BUDDIES_MESSAGE })
              .transform(Number),
          ],
          { error: BUDDIES_MESSAGE },
        )
        .pipe(
          z
            .number({ error: BUDDIES_MESSAGE })
            .int({ error: BUDDIES_MESSAGE })
            .min(0, { error: BUDDIES_MESSAGE })
            .max(MAX_BUDDIES, { error: BUDDIES_MESSAGE }),
        )
        .optional(),
    ),
  })
  .superRefine((value, ctx) => {
    if (value.status === 'done' && value.evidence === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['evidence'],
        message: 'Dokumentation skal udfyldes, når punktet er gennemført',
      });
    }
    if (value.buddies !== undefined && value.item !== 'buddies-trained') {
      ctx.addIssue({
        code: 'custom',
        path: ['buddies'],
        message: `Antal buddies angives kun for punktet "${socialModelItemLabels['buddies-trained']}"`,
      });
    }
    if (value.item === 'buddies-trained' && value.status === 'done' && (value.buddies ?? 0) < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['buddies'],
        message: 'Mindst én medarbejder skal være uddannet som buddy, før punktet er gennemført',
      });
    }
  });

export type SocialModelItemUpdate = z.output<typeof socialModelItemUpdate>;

/** A stored checklist read back (storage checks what it reads rather than casting it). */
const storedItem = z.object({
  status: z.enum(itemStatuses),
  evidence: z.string().optional(),
  buddies: z.number().int().min(0).optional(),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
export const socialModelChecklistSchema = z.object({
  'induction-plan': storedItem,
  'value-creating-tasks': storedItem,
  'buddies-trained': storedItem,
  'model-documented': storedItem,
  'model-known-to-partners': storedItem,
}) satisfies z.ZodType<SocialModelChecklist>;

/**
 * The checklist after one update, made at instant `at` by user `by` (a new object; the old one is untouched).
 * Evidence and buddies left out of the update keep the item's. The schema's rules are checked again here, so a
 * caller that skipped it cannot store a "done" without evidence: that is a programming error (RangeError).
 */
export function applyChecklistUpdate(
  checklist: SocialModelChecklist,
  update: SocialModelItemUpdate,
  at: string,
  by: string,
): SocialModelChecklist {
  const before = checklist[update.item];
  const evidence = update.evidence ?? before.evidence;
  const buddies = update.item === 'buddies-trained' ? (update.buddies ?? before.buddies) : undefined;
  if (update.status === 'done' && !evidence) {
    throw new RangeError(`${update.item} cannot be done without evidence`);
  }
  if (update.item === 'buddies-trained' && update.status === 'done' && (buddies ?? 0) < 1) {
    throw new RangeError('buddies-trained cannot be done without at least one buddy');
  }
  if (buddies !== undefined && (!Number.isInteger(buddies) || buddies < 0 || buddies > MAX_BUDDIES)) {
    throw new RangeError(`buddies must be a whole number from 0 to ${MAX_BUDDIES}, got ${buddies}`);
  }
  const item: SocialModelItem = {
    status: update.status,
    ...(evidence !== undefined ? { evidence } : {}),
    ...(buddies !== undefined ? { buddies } : {}),
    updatedAt: at,
    updatedBy: by,
  };
  return { ...checklist, [update.item]: item };
}

function itemComplete(id: SocialModelItemId, item: SocialModelItem): boolean {
  if (item.status !== 'done' || !item.evidence?.trim()) return false;
  return id !== 'buddies-trained' || (item.buddies ?? 0) >= 1;
}

/** The social model is implemented: every item done with evidence, and at least one buddy trained. */
export function socialModelImplemented(checklist: SocialModelChecklist): boolean {
  return socialModelItems.every((id) => itemComplete(id, checklist[id]));
}

/** How far the company is: items done (with evidence, and buddies for the buddy item) out of all items. */
export function checklistProgress(checklist: SocialModelChecklist): { done: number; total: number } {
  return {
    done: socialModelItems.filter((id) => itemComplete(id, checklist[id])).length,
    total: socialModelItems.length,
  };
}
