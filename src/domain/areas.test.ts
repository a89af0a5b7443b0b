import { describe, expect, it } from 'vitest';
import { city, managementAreaOf, managementAreas, streets, streetsOf } from './areas.ts';

describe('Kunming areas', () => {
  it('has 16 management areas summing to the plan population', () => {
    expect(managementAreas).toHaveLength(16);
    expect(managementAreas.reduce((s, a) => s + a.population2020, 0)).toBe(city.population2020);
  });
  it('has 150 streets, each run by exactly one management area that has streets', () => {
    expect(streets).toHaveLength(150);
    for (const a of managementAreas) expect(streetsOf(a.code).length).toBeGreaterThan(0);
    expect(managementAreas.reduce((s, a) => s + streetsOf(a.code).length, 0)).toBe(150);
  });
  it('routes functional-zone streets to the zone', () => {
    expect(managementAreaOf('530111010')).toBe('530111402');
    expect(managementAreaOf('530114007')).toBe('530125404');
    expect(managementAreaOf('530102001')).toBe('530102');
  });
});
