import type { ProgrammeCosts } from '#domain/business-case';
import type { IsoDate } from '#domain/dates';
import { type Distribution, simulateWhatIf, type WhatIf } from '#domain/what-if';
import { places } from './programme-scale.ts';

/**
 * The what-if as GET /business-case/what-if answers it and the business case page embeds it: the whole programme
 * drawn, then narrowed to what the caller may see. One function, so that the page and the what-if agree to the øre
 * for the same start, horizon, draws, seed and costs.
 */

export const DEFAULT_DRAWS = 10_000;
export const DEFAULT_SEED = 1;

/** The JSON and the page show the same report; one scoped to a municipality (finance) has no programme or clusters. */
export interface WhatIfReport {
  asOf: string;
  whatIf: Omit<WhatIf, 'programme' | 'clusters'> & {
    programme: Distribution | null;
    clusters: Distribution[];
  };
}

export interface WhatIfRequest {
  start: IsoDate;
  horizonYears: number;
  draws?: number;
  seed?: number;
  /** The full view's programme costs; absent, only the results-based payments are set against the savings. */
  programmeCosts?: ProgrammeCosts;
}

/** `shown` as `shownMunicipalities` returns it: undefined for every municipality (and the programme). */
export function whatIfReport(
  request: WhatIfRequest,
  shown: readonly string[] | undefined,
  now: Date,
): WhatIfReport {
  // The whole programme is drawn whatever is shown, so a municipality's figures are the same in every view.
  const whatIf = simulateWhatIf({
    start: request.start,
    horizonYears: request.horizonYears,
    draws: request.draws ?? DEFAULT_DRAWS,
    seed: request.seed ?? DEFAULT_SEED,
    placesOf: places,
    ...(request.programmeCosts ? { programmeCosts: request.programmeCosts } : {}),
  });
  return {
    asOf: now.toISOString(),
    whatIf:
      shown === undefined
        ? whatIf
        : {
            ...whatIf,
            programme: null,
            clusters: [],
            municipalities: whatIf.municipalities.filter((m) => shown.includes(m.key)),
          },
  };
}
