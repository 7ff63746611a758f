// Maintenance windows as calendar events: one window (/maintenance/<id>.ics) or the feed of those not yet over
// (/maintenance.ics), for "Add to calendar" and calendar subscriptions.
import type { Locale } from '../../i18n/locales.ts';
import { translate } from '../../i18n/translate.ts';
import { maintenanceStatus } from '../../status/maintenance.ts';
import type { Maintenance } from '../../status/types.ts';
import { absoluteUrl, type ApiContext } from '../api/api-context.ts';
import { flattenMarkdown } from '../markdown/markdown-text.ts';
import { writeCalendar, type CalendarEvent } from './ics.ts';

/** The page of a window, and its calendar file. */
export function maintenanceCalendarPath(id: string): string {
  return `/maintenance/${encodeURIComponent(id)}.ics`;
}

function host(ctx: ApiContext): string {
  try {
    return new URL(ctx.baseUrl).host || 'status';
  } catch {
    return 'status';
  }
}

/** The event of one window: the UID is the window's id at the site's host, so a re-download updates it. */
export function maintenanceEvent(ctx: ApiContext, m: Maintenance, locale: Locale): CalendarEvent {
  const names = m.components.map((id) => ctx.model.componentById.get(id)?.name ?? id);
  const url = absoluteUrl(ctx, `/maintenance/${encodeURIComponent(m.id)}`);
  const description = [
    flattenMarkdown(m.body, ctx.baseUrl),
    names.length > 0 ? translate(locale, 'calendar.affects', { components: names.join(', ') }) : '',
    url,
  ].filter((s) => s !== '').join('\n\n');
  // Last revised: the latest posted update; a window with none was revised when it was read.
  const posted = m.updates.find((u) => u.at <= ctx.now);
  return {
    uid: `maintenance-${m.id}@${host(ctx)}`,
    stamp: posted?.at ?? ctx.now,
    start: m.scheduledStart,
    end: m.scheduledEnd,
    summary: translate(locale, 'calendar.summary', { title: m.title, site: ctx.model.site.name }),
    description,
    url,
    status: 'CONFIRMED',
  };
}

const productId = '-//Kaizen Status//Maintenance//EN';

/** One window as a calendar file. */
export function maintenanceCalendar(ctx: ApiContext, m: Maintenance, locale: Locale): string {
  return writeCalendar({
    productId,
    name: translate(locale, 'calendar.name', { site: ctx.model.site.name }),
    events: [maintenanceEvent(ctx, m, locale)],
  });
}

/** Every window not yet completed (upcoming or under way), soonest first. */
export function maintenanceFeed(ctx: ApiContext, locale: Locale): string {
  const open = ctx.model.maintenance.filter((m) => maintenanceStatus(m, ctx.now) !== 'completed');
  return writeCalendar({
    productId,
    name: translate(locale, 'calendar.name', { site: ctx.model.site.name }),
    events: open.map((m) => maintenanceEvent(ctx, m, locale)),
  });
}
