import type { Impact, Severity } from './vocabulary.ts';

const fromSeverity: Record<Severity, Impact> = { P0: 'critical', P1: 'major', P2: 'minor', P3: 'none' };

/** An incident's impact: the explicit override if given, else derived from its severity. */
export function impactOf(severity: Severity, override: Impact | null | undefined): Impact {
  return override ?? fromSeverity[severity];
}

const rank: Record<Impact, number> = { none: 0, minor: 1, major: 2, critical: 3 };

/** The worst impact among the given ones; none when empty. */
export function worstImpact(impacts: Iterable<Impact>): Impact {
  let worst: Impact = 'none';
  for (const i of impacts) if (rank[i] > rank[worst]) worst = i;
  return worst;
}
