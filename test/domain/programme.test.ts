import { describe, expect, it } from 'vitest';
import { findMunicipality, municipalities, placesInCluster } from '#domain/programme';

describe('programme data read from the seed', () => {
  it('has 9 places in each cluster and 18 in all', () => {
    expect(placesInCluster(1)).toBe(9);
    expect(placesInCluster(2)).toBe(9);
  });

  it('lists twelve municipalities with unique kommunekoder and one employment actor each', () => {
    expect(new Set(municipalities.map((m) => m.code)).size).toBe(12);
    expect(new Set(municipalities.map((m) => m.employmentActor.id)).size).toBe(12);
  });

  it.each([
    ['621', 'Kolding', 1, 1],
    ['336', 'Stevns', 2, 2],
    ['147', 'Frederiksberg', 2, 2],
    ['851', 'Aalborg', 1, 2],
  ])('finds %s as %s in cluster %i with %i places', (code, name, cluster, places) => {
    expect(findMunicipality(code)).toMatchObject({ name, cluster, places });
  });

  it('knows no municipality outside the programme', () => {
    expect(findMunicipality('101')).toBeUndefined();
  });
});
