import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../../../src/lib/server/content/content-snapshot.ts';
import { contentKind, parseContentFile, type ContentProblem } from '../../../../src/lib/server/content/content-file.ts';
import { defaultAlertingConfig } from '../../../../src/lib/status/alerting.ts';

describe('content/alerting.yaml', () => {
  it('is a content file', () => expect(contentKind('alerting.yaml')).toBe('alerting'));

  it('fills the defaults and turns the hold-down into milliseconds', () => {
    const r = parseContentFile('alerting.yaml', 'component_label: service\nseverity: { page: P0 }\nresolve_after: 2s\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const problems: ContentProblem[] = [];
    const alerting = buildSnapshot([r.parsed], problems).alerting!;
    expect(alerting).toEqual({ ...defaultAlertingConfig, componentLabel: 'service', severity: { page: 'P0' }, resolveAfterMs: 2000 });
  });

  it('names the file and field of each problem', () => {
    const r = parseContentFile('alerting.yaml', 'resolve_after: soon\nseverity: { critical: P7 }\npublish: { P1: maybe }\nextra: 1\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const fields = r.problems.map((p) => `${p.file} ${p.field}`).sort();
    expect(fields).toEqual(['alerting.yaml ', 'alerting.yaml publish.P1', 'alerting.yaml resolve_after', 'alerting.yaml severity.critical']);
  });

  it('without the file, the defaults apply', () => expect(buildSnapshot([], []).alerting).toEqual(defaultAlertingConfig));
});
