import type { IsoDate } from '#domain/dates';
import type { CompanyRecord } from '#domain/parties';
import type { JourneyFacts, PlacementChoices } from '#domain/placement';
import { placementChoices } from '#domain/placement';
import { journeysOfCompany, loadMunicipalityCompanies, loadMunicipalityJourneys } from './journey-store.ts';
import { loadCompany } from './partnership-store.ts';

/**
 * What the pathway's handlers read of the companies' side (issue 7, item 4): a company with its journeys, for a
 * placement or a job start (GetItem, then one Query of its partnership's partition), and the partnership's
 * companies a placement may name, for the form (two Queries of that partition).
 */
export async function companyWithJourneys(
  cvr: string,
): Promise<{ company: CompanyRecord | undefined; journeys: JourneyFacts[] }> {
  const company = await loadCompany(cvr);
  return { company, journeys: company ? await journeysOfCompany(cvr, company.municipality) : [] };
}

export async function loadPlacementChoices(municipality: string, today: IsoDate): Promise<PlacementChoices> {
  const [companies, journeys] = await Promise.all([
    loadMunicipalityCompanies(municipality),
    loadMunicipalityJourneys(municipality),
  ]);
  return placementChoices(companies, journeys, municipality, today);
}
