/**
 * The programme as read from the seed (../shared/seed/, "Kommuner"): twelve partner municipalities in two
 * clusters, 9 + 9 places. The seed's table lost its column marks; this is the only reading under which both
 * clusters sum to 9 places (Stevns appears twice, 1 + 1, so it holds 2 places in cluster 2).
 *
 * The seed names no employment actors ("lokale beskæftigelsesaktører, der har hjemsted i kommunerne"). Each
 * municipality has exactly one, the single point of contact; its display name below is the municipality's
 * actor as the programme refers to it until the partner plan names the organisation.
 */
export type Cluster = 1 | 2;

export interface EmploymentActor {
  id: string;
  name: string;
}

export interface Municipality {
  /** Kommunekode (Danmarks Statistik), as a string: it is an identifier, not a number. */
  code: string;
  name: string;
  cluster: Cluster;
  clusterYear: number;
  places: number;
  employmentActor: EmploymentActor;
}

const rows: ReadonlyArray<readonly [code: string, name: string, cluster: Cluster, places: number]> = [
  ['851', 'Aalborg', 1, 2],
  ['756', 'Ikast-Brande', 1, 1],
  ['621', 'Kolding', 1, 1],
  ['661', 'Holstebro', 1, 1],
  ['157', 'Gentofte', 1, 2],
  ['740', 'Silkeborg', 1, 2],
  ['259', 'Køge', 2, 1],
  ['147', 'Frederiksberg', 2, 2],
  ['336', 'Stevns', 2, 2],
  ['270', 'Gribskov', 2, 1],
  ['306', 'Odsherred', 2, 2],
  ['316', 'Holbæk', 2, 1],
];

export const municipalities: readonly Municipality[] = rows.map(([code, name, cluster, places]) => ({
  code,
  name,
  cluster,
  clusterYear: cluster === 1 ? 2019 : 2020,
  places,
  // Until the actor names itself in the partnership (POST /partnership/employment-actor): a label, not a name.
  employmentActor: { id: `employment-actor-${code}`, name: `Beskæftigelsesaktør, ${name} Kommune` },
}));

const byCode = new Map(municipalities.map((m) => [m.code, m]));

/**
 * The company side of the double-sided model: the social accelerator, run by the fund behind the programme
 * (seed: Den Sociale Kapitalfond Management ApS). It is paid its share of job results with accelerator companies.
 */
export const socialAccelerator: EmploymentActor = {
  id: 'social-accelerator',
  name: 'Den Sociale Kapitalfond Management ApS (socialt acceleratorforløb)',
};

/**
 * A programme can run at a multiple of the seed's size (the simulation of 1,000 citizens does): every
 * municipality's places are multiplied by the same whole number, so the clusters keep their proportions.
 */
export function placesAtScale(municipality: Municipality, scale: number): number {
  if (!Number.isSafeInteger(scale) || scale < 1)
    throw new RangeError(`Programme scale must be a whole number ≥ 1, got ${scale}`);
  return municipality.places * scale;
}

export function findMunicipality(code: string): Municipality | undefined {
  return byCode.get(code);
}

export function placesInCluster(cluster: Cluster): number {
  return municipalities.filter((m) => m.cluster === cluster).reduce((sum, m) => sum + m.places, 0);
}
