import { describe, expect, it } from 'vitest';
import { impactOf, worstImpact } from '../../../src/lib/status/impact.ts';
import type { Impact, Severity } from '../../../src/lib/status/vocabulary.ts';

describe('impactOf', () => {
  it.each<[Severity, Impact]>([
    ['P0', 'critical'],
    ['P1', 'major'],
    ['P2', 'minor'],
    ['P3', 'none'],
  ])('severity %s without override → %s', (severity, expected) => {
    expect(impactOf(severity, null)).toBe(expected);
    expect(impactOf(severity, undefined)).toBe(expected);
  });

  it.each<[Severity, Impact]>([
    ['P0', 'minor'],
    ['P3', 'critical'],
    ['P1', 'none'],
    ['P2', 'major'],
  ])('severity %s with override %s → the override wins', (severity, override) => {
    expect(impactOf(severity, override)).toBe(override);
  });
});

describe('worstImpact', () => {
  it.each<[Impact[], Impact]>([
    [[], 'none'],
    [['none'], 'none'],
    [['minor', 'none'], 'minor'],
    [['minor', 'major', 'none'], 'major'],
    [['major', 'critical', 'minor'], 'critical'],
  ])('worst of %j is %s', (impacts, expected) => {
    expect(worstImpact(impacts)).toBe(expected);
  });
});
