// Repeat incidents: the chains `repeat_of` links form, and likely repeats nobody has linked yet.
import { detectedAt } from './incident.ts';
import type { TimeRange } from './metrics.ts';
import type { Incident } from './types.ts';

const DAY = 86_400_000;

/** How far apart (by detection) two incidents may be to be suggested as repeats. */
export const SUGGESTION_WINDOW_MS = 30 * DAY;

/** Titles at least this similar (token Jaccard) are suggested. */
export const SIMILARITY_THRESHOLD = 0.5;

/** Words that say nothing about what broke. */
export const stopWords: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'and', 'or', 'of', 'on', 'in', 'for', 'to', 'with', 'at', 'by', 'from', 'into', 'is', 'are',
  'was', 'were', 'be', 'been', 'some', 'all', 'our', 'its', 'this', 'that', 'due', 'after', 'during', 'via',
]);

/** A title's distinct words: lowercased, split on anything but letters and digits, stop words dropped. */
export function titleTokens(title: string): Set<string> {
  return new Set(title.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '' && !stopWords.has(w)));
}

/** Jaccard index of the two titles' tokens: |A ∩ B| / |A ∪ B|, 0 when both are empty. */
export function titleSimilarity(a: string, b: string): number {
  const ta = titleTokens(a);
  const tb = titleTokens(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  const union = ta.size + tb.size - shared;
  return union === 0 ? 0 : shared / union;
}

const byDetection = (a: Incident, b: Incident): number =>
  (detectedAt(a) ?? 0) - (detectedAt(b) ?? 0) || a.id.localeCompare(b.id);

/**
 * Incidents joined by `repeat_of` links (A ← B ← C, or several repeats of one incident), each group
 * of two or more as one chain, oldest detection first; chains oldest first. Links to unknown ids are ignored.
 */
export function repeatChains(incidents: readonly Incident[]): Incident[][] {
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const parent = new Map<string, string>();
  const root = (id: string): string => {
    let r = id;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  for (const i of incidents) {
    if (i.repeatOf === null || !byId.has(i.repeatOf)) continue;
    const a = root(i.id);
    const b = root(i.repeatOf);
    if (a !== b) parent.set(a, b); // joining roots only keeps this cycle-safe
  }
  const groups = new Map<string, Incident[]>();
  for (const i of incidents) {
    const r = root(i.id);
    groups.set(r, [...(groups.get(r) ?? []), i]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.sort(byDetection))
    .sort((a, b) => byDetection(a[0]!, b[0]!));
}

export interface RepeatSuggestion {
  earlier: Incident;
  later: Incident;
  /** Affected components the two share. */
  components: string[];
  similarity: number;
  /** Between the two detections. */
  apartMs: number;
}

/**
 * Likely repeats for an admin to confirm: pairs that share an affected component, whose titles have a
 * token Jaccard ≥ 0.5 (see titleTokens), detected at most 30 days apart (exactly 30 included), and not
 * already in the same repeat chain. Only pairs whose later incident was detected inside `range`.
 * Newest later incident first, then most similar, then closest in time.
 */
export function suggestRepeats(incidents: readonly Incident[], range: TimeRange | null = null): RepeatSuggestion[] {
  const chainOf = new Map<string, number>();
  repeatChains(incidents).forEach((chain, n) => { for (const i of chain) chainOf.set(i.id, n); });
  const sorted = incidents.filter((i) => detectedAt(i) !== null).sort(byDetection);
  const out: RepeatSuggestion[] = [];
  sorted.forEach((later, j) => {
    const laterAt = detectedAt(later)!;
    if (range && (laterAt < range.from || laterAt > range.to)) return;
    for (let k = j - 1; k >= 0; k--) {
      const earlier = sorted[k]!;
      const apartMs = laterAt - detectedAt(earlier)!;
      if (apartMs > SUGGESTION_WINDOW_MS) break;
      const chain = chainOf.get(earlier.id);
      if (chain !== undefined && chain === chainOf.get(later.id)) continue;
      const components = Object.keys(later.components).filter((c) => Object.hasOwn(earlier.components, c));
      if (components.length === 0) continue;
      const similarity = titleSimilarity(earlier.title, later.title);
      if (similarity < SIMILARITY_THRESHOLD) continue;
      out.push({ earlier, later, components, similarity, apartMs });
    }
  });
  return out.sort((a, b) => byDetection(b.later, a.later) || b.similarity - a.similarity || a.apartMs - b.apartMs);
}
