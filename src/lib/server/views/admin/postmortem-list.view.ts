// The admin list of post-mortems: which are published, which are drafts and why, and which P0/P1 incidents lack one.
import { resolvedAt } from '../../../status/incident.ts';
import { postmortemLeftovers } from '../../../status/postmortem-placeholders.ts';
import type { Severity } from '../../../status/vocabulary.ts';
import type { StatusModel } from '../../status-data/status-model.ts';
import { timeView } from '../present.ts';
import type { TimeView } from '../view-types.ts';

export interface AdminPostmortemRow {
  href: string;
  title: string;
  incidentTitle: string;
  published: TimeView | null;
  /** Why a draft is a draft, when there is more to say than "not published yet". */
  draftReason: string | null;
  source: 'file' | 'admin';
}

export interface AdminPostmortemList {
  written: AdminPostmortemRow[];
  missing: { href: string; severity: Severity; title: string }[];
}

const placeholders = (n: number): string => `${n} ${n === 1 ? 'placeholder' : 'placeholders'} from the runbook template`;

/** Every post-mortem with its state, and the resolved P0/P1 incidents that have none. */
export function buildAdminPostmortemList(model: StatusModel): AdminPostmortemList {
  const tz = model.site.timezone;
  const written = model.postmortems.map((p): AdminPostmortemRow => {
    let draftReason: string | null = null;
    if (p.withheld) {
      const first = p.withheld.placeholders[0]!;
      draftReason = `The file says published, but ${placeholders(p.withheld.placeholders.length)} remain (first: ${first.field === 'title' ? 'title' : `line ${first.line}`}, ${first.text}).`;
    } else if (p.publishedAt === null) {
      const left = postmortemLeftovers(p).length;
      if (left > 0) draftReason = `${placeholders(left)} still to replace.`;
    }
    return {
      href: `/admin/postmortems/${encodeURIComponent(p.incidentId)}`,
      title: p.title,
      incidentTitle: model.incidentById.get(p.incidentId)?.title ?? p.incidentId,
      published: p.publishedAt === null ? null : timeView(p.publishedAt, tz),
      draftReason,
      source: p.source,
    };
  });
  const covered = new Set(model.postmortems.map((p) => p.incidentId));
  const missing = model.incidents
    .filter((i) => (i.severity === 'P0' || i.severity === 'P1') && resolvedAt(i) !== null && !covered.has(i.id))
    .map((i) => ({ href: `/admin/postmortems/${encodeURIComponent(i.id)}`, severity: i.severity, title: i.title }));
  return { written, missing };
}
