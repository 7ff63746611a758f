// The locale-aware forms of the date, duration and uptime formatters: English exactly as before, the others by Intl.
import { describe, expect, it } from 'vitest';
import {
  formatDateTime, formatDayKey, formatElapsed, formatLongDayKey, formatMonthKey, formatTime, formatUptimeIn,
} from '../../../src/lib/status/format.ts';
import { formatDuration } from '../../../src/lib/status/time.ts';
import { formatUptime } from '../../../src/lib/status/uptime.ts';
import {
  componentStatusLabel, componentStatusLabels, impactLabel, incidentStatusLabel, maintenanceStatusLabel, overallDescription, severityName,
} from '../../../src/lib/status/vocabulary.ts';

const at = Date.UTC(2026, 10, 20, 10, 5);
const summer = Date.UTC(2026, 6, 3, 8, 30);

describe('dates per language', () => {
  it('English is unchanged with or without the locale', () => {
    expect(formatDateTime(at, 'Europe/London')).toBe('20 Nov 2026, 10:05 GMT');
    expect(formatDateTime(at, 'Europe/London', 'en')).toBe('20 Nov 2026, 10:05 GMT');
    expect(formatTime(summer, 'Europe/London', 'en')).toBe('09:30 BST');
    expect(formatLongDayKey('2026-11-20', 'en')).toBe('Friday 20 November 2026');
    expect(formatMonthKey('2026-11', 'en')).toBe('November 2026');
  });

  it.each([
    ['de', '20. Nov. 2026, 10:05 GMT', '20. Nov. 2026', 'Freitag, 20. November 2026', 'November 2026'],
    ['fr', '20 nov. 2026, 10:05 GMT', '20 nov. 2026', 'vendredi 20 novembre 2026', 'novembre 2026'],
    ['es', '20 nov 2026, 10:05 GMT', '20 nov 2026', 'viernes, 20 de noviembre de 2026', 'noviembre de 2026'],
    ['ja', '2026年11月20日 10:05 GMT', '2026年11月20日', '2026年11月20日金曜日', '2026年11月'],
  ] as const)('%s', (locale, dateTime, day, longDay, month) => {
    expect(formatDateTime(at, 'Europe/London', locale)).toBe(dateTime);
    expect(formatDayKey('2026-11-20', locale)).toBe(day);
    expect(formatLongDayKey('2026-11-20', locale)).toBe(longDay);
    expect(formatMonthKey('2026-11', locale)).toBe(month);
    expect(formatTime(summer, 'Europe/London', locale)).toBe('09:30 BST');
  });
});

describe('durations and uptime per language', () => {
  it.each([30_000, 5 * 60_000, 2 * 3_600_000, 135 * 60_000, 3 * 86_400_000, 3 * 86_400_000 + 2 * 3_600_000])('English %d ms is formatDuration’s', (ms) => {
    expect(formatElapsed(ms)).toBe(formatDuration(ms));
  });

  it('German and Japanese durations', () => {
    expect(formatElapsed(135 * 60_000, 'de')).toBe('2 Std. 15 Min.');
    expect(formatElapsed(3 * 86_400_000 + 2 * 3_600_000, 'ja')).toBe('3日2時間');
    expect(formatElapsed(30_000, 'fr')).toBe('moins d’une minute');
  });

  it.each([0.57, 0.99951, 1, 0.123456, 0.9999999, 0, null])('uptime %s: English is formatUptime’s', (u) => {
    expect(formatUptimeIn(u)).toBe(formatUptime(u));
  });

  it('German uptime has a decimal comma and rounds down like English', () => {
    expect(formatUptimeIn(0.9999999, 'de')).toBe('99,99\u00a0%');
    expect(formatUptimeIn(0.57, 'de')).toBe('57,00\u00a0%');
  });
});

describe('status words per language', () => {
  it('English is the existing maps', () => {
    for (const [s, label] of Object.entries(componentStatusLabels)) expect(componentStatusLabel(s as keyof typeof componentStatusLabels)).toBe(label);
    expect(overallDescription('All Systems Operational')).toBe('All Systems Operational');
    expect(severityName('P0')).toBe('Critical');
  });

  it('German', () => {
    expect(componentStatusLabel('partial_outage', 'de')).toBe('Teilausfall');
    expect(incidentStatusLabel('identified', 'de')).toBe('Ursache gefunden');
    expect(maintenanceStatusLabel('in_progress', 'de')).toBe('Läuft');
    expect(impactLabel('major', 'de')).toBe('Schwere Auswirkung');
    expect(overallDescription('All Systems Operational', 'de')).toBe('Alle Systeme betriebsbereit');
    expect(overallDescription('Partially Degraded Service', 'ja')).toBe('サービスの一部低下');
  });
});
