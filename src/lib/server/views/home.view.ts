// Everything the front page shows, prepared from the read model at `now`.
import { formatLongDayKey, formatUptimeIn } from '../../status/format.ts';
import { internalComponentIds } from '../status-data/public-model.ts';
import { overallDescription } from '../../status/vocabulary.ts';
import { startedAt } from '../../status/incident.ts';
import { addDays, dayKey } from '../../status/time.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import type { Locale } from '../../i18n/locales.ts';
import { translate } from '../../i18n/translate.ts';
import { componentUptimes, dayWindows, groupUptime, uptimeDayTip } from './component-uptime.ts';
import { currentStatus } from './current-status.ts';
import { incidentView, maintenanceView, statusLabel, timeView } from './present.ts';
import type {
  BannerView, ComponentGroupView, ComponentRowView, IncidentView, MaintenanceView, SiteView, UpdateView,
} from './view-types.ts';

export const RECENT_DAYS = 7;
/** How many updates of an open incident the front page shows before "Show all N updates". */
export const LATEST_UPDATES = 3;

/** An open incident on the front page: its newest updates only, and how many there are in all. */
export type ActiveIncidentView = IncidentView & { latestUpdates: UpdateView[]; updateCount: number };

export interface HomeView {
  site: SiteView;
  banner: BannerView;
  activeIncidents: ActiveIncidentView[];
  activeMaintenance: MaintenanceView[];
  upcomingMaintenance: MaintenanceView[];
  groups: ComponentGroupView[];
  recentDays: { day: string; label: string; incidents: IncidentView[] }[];
  uptimeDays: number;
}

export function siteView(model: StatusModel, siteUrl?: string): SiteView {
  const s = model.site;
  return { name: s.name, description: s.description, url: siteUrl ?? s.url, supportUrl: s.supportUrl, timezone: s.timezone, showReliability: s.showReliability };
}

/** `dataAsOf`: when the data was last known good ("Last updated"); earlier than `now` while a part is down. */
export function buildHomeView(model: StatusModel, now: number, dataAsOf: number = now, locale: Locale = 'en'): HomeView {
  const tz = model.site.timezone;
  const current = currentStatus(model, now);
  const windows = dayWindows(now, tz);
  const uptimes = componentUptimes(model, windows, now);

  const inMaintenance = new Set(current.activeMaintenance.flatMap((m) => m.components));
  const internal = internalComponentIds(model);
  const row = (id: string): ComponentRowView => {
    const c = model.componentById.get(id)!;
    const u = uptimes.get(id)!;
    const status = current.componentStatus.get(id)!;
    return {
      id,
      ...(internal.has(id) ? { teamOnly: true } : {}),
      name: c.name,
      description: c.description,
      status,
      statusLabel: statusLabel(status, locale),
      uptimeText: translate(locale, 'uptime.figure', { pct: formatUptimeIn(u.uptime, locale) }),
      days: u.days.map((d) => uptimeDayTip(model, d, locale)),
    };
  };
  // Groups and stand-alone components, in the order components.yaml lists them.
  const entries: ComponentGroupView[] = [];
  const placed = new Set<string>();
  const ordered = [
    ...model.groups.map((g) => ({ position: g.position, group: g, component: null })),
    ...model.components.filter((c) => c.groupId === null).map((c) => ({ position: c.position, group: null, component: c })),
  ].sort((a, b) => a.position - b.position);
  for (const e of ordered) {
    if (e.group) {
      const status = current.groupStatus.get(e.group.id)!;
      const members = e.group.components.map((c) => c.id);
      const bar = groupUptime(model, members.map((id) => uptimes.get(id)!), locale);
      entries.push({
        id: e.group.id, ...(e.group.audience === 'internal' ? { teamOnly: true } : {}), name: e.group.name, description: e.group.description, status, statusLabel: statusLabel(status, locale),
        isGroup: true, components: members.map(row),
        open: groupHasProblem(members, current.componentStatus, inMaintenance),
        days: bar.days,
        uptimeText: translate(locale, 'uptime.figure', { pct: formatUptimeIn(bar.uptime, locale) }),
      });
      e.group.components.forEach((c) => placed.add(c.id));
    } else if (e.component && !placed.has(e.component.id)) {
      const r = row(e.component.id);
      entries.push({ id: r.id, ...(r.teamOnly ? { teamOnly: true } : {}), name: r.name, description: r.description, status: r.status, statusLabel: r.statusLabel, isGroup: false, components: [r] });
    }
  }

  const today = dayKey(now, tz);
  const recentKeys = Array.from({ length: RECENT_DAYS }, (_, i) => addDays(today, -i));
  const byDay = new Map<string, IncidentView[]>(recentKeys.map((k) => [k, []]));
  const oldest = recentKeys[recentKeys.length - 1]!;
  for (const incident of model.incidents) {
    const start = startedAt(incident);
    if (start === null || start > now) continue;
    const key = dayKey(start, tz);
    if (key < oldest) break; // incidents are newest first
    byDay.get(key)?.push(incidentView(model, incident, now, locale));
  }

  return {
    site: siteView(model),
    banner: { indicator: current.overall.indicator, description: overallDescription(current.overall.description, locale), updated: timeView(Math.min(now, dataAsOf), tz, locale) },
    activeIncidents: current.openIncidents.map((i) => {
      const v = incidentView(model, i, now, locale, { anchors: false });
      return { ...v, latestUpdates: v.updates.slice(0, LATEST_UPDATES), updateCount: v.updates.length };
    }),
    activeMaintenance: current.activeMaintenance.map((m) => maintenanceView(model, m, now, locale, { anchors: false })),
    upcomingMaintenance: current.upcomingMaintenance.map((m) => maintenanceView(model, m, now, locale, { anchors: false })),
    groups: entries,
    recentDays: recentKeys.map((k) => ({ day: k, label: formatLongDayKey(k, locale), incidents: byDay.get(k)! })),
    uptimeDays: windows.length,
  };
}

/** A group starts unfolded when any of its components is not operational or is in maintenance under way. */
export function groupHasProblem(
  members: readonly string[], status: ReadonlyMap<string, string>, inMaintenance: ReadonlySet<string>,
): boolean {
  return members.some((id) => status.get(id) !== 'operational' || inMaintenance.has(id));
}
