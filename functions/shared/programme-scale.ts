import { type Municipality, placesAtScale } from '#domain/programme';

/**
 * PROGRAMME_SCALE (default 1) multiplies every municipality's places: a deployment for a larger programme,
 * or the simulation beyond the seed's 18 places. Read once per execution environment.
 */
const scale = Number(process.env.PROGRAMME_SCALE ?? '1');

export function places(municipality: Municipality): number {
  return placesAtScale(municipality, scale);
}
