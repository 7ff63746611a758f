import { describe, expect, it } from 'vitest';
import { overallStatus, type OverallStatus } from '../../../src/lib/status/overall.ts';
import type { ComponentStatus, Impact } from '../../../src/lib/status/vocabulary.ts';

const critical: OverallStatus = { indicator: 'critical', description: 'Major System Outage' };
const major: OverallStatus = { indicator: 'major', description: 'Partial System Outage' };
const minorOutage: OverallStatus = { indicator: 'minor', description: 'Minor Service Outage' };
const minorDegraded: OverallStatus = { indicator: 'minor', description: 'Partially Degraded Service' };
const maintenance: OverallStatus = { indicator: 'maintenance', description: 'Service Under Maintenance' };
const none: OverallStatus = { indicator: 'none', description: 'All Systems Operational' };

// One row per case of docs/decisions/002-overall-indicator.md; first match wins.
describe('overallStatus (decision 002)', () => {
  it.each<[string, ComponentStatus[], Impact[], OverallStatus]>([
    // Row 1
    ['critical-impact incident with every component operational', ['operational', 'operational'], ['critical'], critical],
    ['every component in major outage, no incident', ['major_outage', 'major_outage', 'major_outage'], [], critical],
    ['a single component, in major outage', ['major_outage'], [], critical],
    ['critical incident beats maintenance and degraded', ['under_maintenance', 'degraded_performance'], ['none', 'critical'], critical],
    // Row 2
    ['one component in major outage among operational ones', ['operational', 'major_outage', 'operational'], [], major],
    ['major-impact incident with components operational', ['operational', 'operational'], ['major'], major],
    ['major outage + partial outage (not all major)', ['major_outage', 'partial_outage'], ['minor'], major],
    // Row 3
    ['a component in partial outage', ['operational', 'partial_outage'], [], minorOutage],
    ['minor-impact incident with components operational', ['operational'], ['minor'], minorOutage],
    ['partial outage beats degraded', ['degraded_performance', 'partial_outage'], [], minorOutage],
    ['minor incident while degraded reads as an outage', ['degraded_performance'], ['minor'], minorOutage],
    // Row 4
    ['degraded performance only', ['operational', 'degraded_performance'], [], minorDegraded],
    ['maintenance + degraded: the degradation wins over maintenance', ['under_maintenance', 'degraded_performance'], [], minorDegraded],
    ['degraded with an impact-none incident', ['degraded_performance'], ['none'], minorDegraded],
    // Row 5
    ['under maintenance only', ['operational', 'under_maintenance'], [], maintenance],
    ['every component under maintenance', ['under_maintenance', 'under_maintenance'], [], maintenance],
    ['maintenance with an impact-none incident', ['under_maintenance'], ['none'], maintenance],
    // Row 6
    ['all operational, no incident', ['operational', 'operational'], [], none],
    ['impact-none (P3) incident does not raise the banner', ['operational'], ['none'], none],
    ['no components at all', [], [], none],
  ])('%s', (_name, components, impacts, expected) => {
    expect(overallStatus(components, impacts)).toEqual(expected);
  });

  it('an outage always beats maintenance (partial outage + maintenance → minor outage)', () => {
    expect(overallStatus(['under_maintenance', 'partial_outage'], [])).toEqual(minorOutage);
  });

  it('no components but an open critical incident is still critical', () => {
    expect(overallStatus([], ['critical'])).toEqual(critical);
  });
});
