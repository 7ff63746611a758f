// Turns individually valid files into one consistent snapshot, dropping what refers to unknown things.
import { httpUrlProblem } from '../../status/http-url.ts';
import { sortUpdatesNewestFirst } from '../../status/incident.ts';
import { postmortemLeftovers } from '../../status/postmortem-placeholders.ts';
import { defaultAlertingConfig, parseDuration, type AlertingConfig } from '../../status/alerting.ts';
import type { Component, ComponentGroup, Incident, Maintenance, Postmortem, Site } from '../../status/types.ts';
import type { ContentProblem, ParsedFile } from './content-file.ts';
import type { Audience } from '../../status/vocabulary.ts';
import { siteAccessFrom } from './site-access.ts';

export interface ContentSnapshot {
  site: Site;
  groups: ComponentGroup[];
  /** Every component that is not a group, in file order. */
  components: Component[];
  incidents: Incident[];
  maintenance: Maintenance[];
  postmortems: Postmortem[];
  /** content/alerting.yaml (defaults without it); `file` names it for problems. */
  alerting?: AlertingConfig;
}

export const defaultSite: Site = {
  name: 'Status',
  url: 'http://localhost:4321',
  description: '',
  timezone: 'UTC',
  supportUrl: null,
  emailSignature: 'Engineering Team',
  logo: null,
  showReliability: false,
  languages: ['en'],
};

/** The audience field only when it narrows the default, so public items look as they always did. */
function internal(audience: Audience | undefined): { audience?: 'internal' } {
  return audience === 'internal' ? { audience } : {};
}

type Of<K extends ParsedFile['kind']> = Extract<ParsedFile, { kind: K }>;

function updateId(parentId: string, at: number, seen: Set<string>): string {
  const base = `${parentId}-${at.toString(36)}`;
  let id = base;
  for (let n = 2; seen.has(id); n++) id = `${base}-${n}`;
  seen.add(id);
  return id;
}

function buildComponents(file: Of<'components'> | undefined, problems: ContentProblem[]): { groups: ComponentGroup[]; components: Component[] } {
  const groups: ComponentGroup[] = [];
  const components: Component[] = [];
  if (!file) return { groups, components };
  const ids = new Set<string>();
  let position = 0;
  const claim = (id: string, field: string): boolean => {
    if (ids.has(id)) {
      problems.push({ file: file.file, field, reason: `duplicate id '${id}'` });
      return false;
    }
    ids.add(id);
    return true;
  };
  file.value.forEach((entry, i) => {
    if (!claim(entry.id, `${i}.id`)) return;
    if ('components' in entry) {
      const group: ComponentGroup = { id: entry.id, name: entry.name, description: entry.description ?? null, position: position++, components: [], ...internal(entry.audience) };
      entry.components.forEach((c, j) => {
        if (!claim(c.id, `${i}.components.${j}.id`)) return;
        // A member of an internal group is internal whatever it says.
        const audience = entry.audience === 'internal' ? 'internal' : c.audience;
        const comp: Component = { id: c.id, name: c.name, description: c.description ?? null, baseline: c.status, groupId: group.id, position: position++, ...internal(audience) };
        group.components.push(comp);
        components.push(comp);
      });
      groups.push(group);
    } else {
      components.push({ id: entry.id, name: entry.name, description: entry.description ?? null, baseline: entry.status, groupId: null, position: position++, ...internal(entry.audience) });
    }
  });
  return { groups, components };
}

/** A post-mortem file; one that says `published:` while template placeholders remain stays a draft, one problem per placeholder. */
function postmortemFromFile(f: Of<'postmortem'>, problems: ContentProblem[]): Postmortem {
  const v = f.value;
  const pm: Postmortem = { id: f.id, source: 'file', incidentId: v.incident, title: v.title, publishedAt: v.published ?? null, body: f.body };
  if (pm.publishedAt === null) return pm;
  const left = postmortemLeftovers(pm, f.bodyLine);
  if (left.length === 0) return pm;
  for (const p of left) {
    problems.push({ file: f.file, field: p.field === 'title' ? 'title' : `body line ${p.line}`, reason: `placeholder ${p.text} left from the template` });
  }
  return { ...pm, publishedAt: null, withheld: { publishAt: pm.publishedAt, placeholders: left } };
}

/** Builds the snapshot from parsed files; problems found across files are appended to `problems`. */
export function buildSnapshot(files: readonly ParsedFile[], problems: ContentProblem[]): ContentSnapshot {
  const of = <K extends ParsedFile['kind']>(kind: K): Of<K>[] => files.filter((f): f is Of<K> => f.kind === kind);
  const siteFile = of('site')[0];
  // A link that is not http(s) is dropped with a problem naming it; the rest of site.yaml still applies.
  const link = (field: string, value: string | null | undefined, example: string): string | null => {
    if (value == null || !siteFile) return null;
    const problem = httpUrlProblem(value, example);
    if (problem) problems.push({ file: siteFile.file, field, reason: problem });
    return problem ? null : value;
  };
  const site: Site = siteFile
    ? {
        name: siteFile.value.name,
        url: link('url', siteFile.value.url, 'https://status.example.com') ?? defaultSite.url,
        description: siteFile.value.description,
        timezone: siteFile.value.timezone,
        supportUrl: link('support_url', siteFile.value.support_url, 'https://support.example.com'),
        emailSignature: siteFile.value.email_signature,
        logo: siteFile.value.logo ?? null,
        showReliability: siteFile.value.show_reliability,
        languages: siteFile.value.languages,
        ...siteAccessFrom(siteFile.file, siteFile.value, problems),
      }
    : defaultSite;
  const { groups, components } = buildComponents(of('components')[0], problems);
  const known = new Set(components.map((c) => c.id));
  const unknownComponents = (f: ParsedFile, ids: string[], field: (id: string, i: number) => string): boolean => {
    let bad = false;
    ids.forEach((id, i) => {
      if (!known.has(id)) {
        problems.push({ file: f.file, field: field(id, i), reason: `unknown component id '${id}'` });
        bad = true;
      }
    });
    return bad;
  };

  const incidentFiles = of('incident');
  const incidentIds = new Set(incidentFiles.map((f) => f.id));
  const incidents: Incident[] = [];
  for (const f of incidentFiles) {
    const v = f.value;
    let bad = unknownComponents(f, Object.keys(v.components), (id) => `components.${id}`);
    if (v.repeat_of && !incidentIds.has(v.repeat_of)) {
      problems.push({ file: f.file, field: 'repeat_of', reason: `unknown incident id '${v.repeat_of}'` });
      bad = true;
    }
    if (bad) continue;
    const seen = new Set<string>();
    incidents.push({
      id: f.id,
      source: 'file',
      title: v.title,
      severity: v.severity,
      impactOverride: v.impact ?? null,
      components: v.components,
      startedAt: v.started ?? null,
      detectedAt: v.detected ?? null,
      acknowledgedAt: v.acknowledged ?? null,
      mitigatedAt: v.mitigated ?? null,
      falsePositive: v.false_positive,
      repeatOf: v.repeat_of ?? null,
      updates: sortUpdatesNewestFirst(v.updates.map((u) => {
        const notify = u.notify ?? v.notify ?? undefined;
        return { id: updateId(f.id, u.at, seen), at: u.at, status: u.status, message: u.message, components: null, ...(notify === undefined ? {} : { notify }) };
      })),
      ...(v.notify == null ? {} : { notifySubscribers: v.notify }),
      body: f.body,
      ...internal(v.audience),
    });
  }

  const maintenance: Maintenance[] = [];
  for (const f of of('maintenance')) {
    const v = f.value;
    let bad = unknownComponents(f, v.components, (_id, i) => `components.${i}`);
    if (v.scheduled_end <= v.scheduled_start) {
      problems.push({ file: f.file, field: 'scheduled_end', reason: 'must be after scheduled_start' });
      bad = true;
    }
    if (bad) continue;
    const seen = new Set<string>();
    maintenance.push({
      id: f.id,
      source: 'file',
      title: v.title,
      components: v.components,
      scheduledStart: v.scheduled_start,
      scheduledEnd: v.scheduled_end,
      updates: sortUpdatesNewestFirst(v.updates.map((u) => ({ id: updateId(f.id, u.at, seen), ...u }))),
      body: f.body,
      announcedAt: v.announced ?? null,
      ...internal(v.audience),
    });
  }

  const postmortems: Postmortem[] = [];
  const withPostmortem = new Map<string, string>();
  const validIncidents = new Set(incidents.map((i) => i.id));
  for (const f of of('postmortem')) {
    const v = f.value;
    if (!incidentIds.has(v.incident)) {
      problems.push({ file: f.file, field: 'incident', reason: `unknown incident id '${v.incident}'` });
      continue;
    }
    if (!validIncidents.has(v.incident)) continue;
    const other = withPostmortem.get(v.incident);
    if (other) {
      problems.push({ file: f.file, field: 'incident', reason: `incident '${v.incident}' already has a post-mortem (${other})` });
      continue;
    }
    withPostmortem.set(v.incident, f.file);
    postmortems.push(postmortemFromFile(f, problems));
  }
  const alertingFile = of('alerting')[0];
  const alerting: AlertingConfig = alertingFile
    ? {
        componentLabel: alertingFile.value.component_label,
        severityLabel: alertingFile.value.severity_label,
        severity: alertingFile.value.severity,
        defaultSeverity: alertingFile.value.default_severity,
        publish: alertingFile.value.publish,
        resolveAfterMs: parseDuration(alertingFile.value.resolve_after) ?? defaultAlertingConfig.resolveAfterMs,
      }
    : defaultAlertingConfig;
  return { site, groups, components, incidents, maintenance, postmortems, alerting };
}
