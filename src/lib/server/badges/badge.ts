// Status badges: a small two-part SVG in the shields.io "flat" look, with a <title> for screen readers.
import anafanafo from 'anafanafo';
import type { Indicator } from '../../status/vocabulary.ts';
import { componentStatusLabels, type ComponentStatus } from '../../status/vocabulary.ts';
import type { ApiContext } from '../api/api-context.ts';
import { escapeXml as x } from '../feeds/xml.ts';
import { currentStatus } from '../views/current-status.ts';

/** Browsers render an <img> badge only with the SVG media type. */
export const SVG_CONTENT_TYPE = 'image/svg+xml; charset=utf-8';

/** What a badge says and how it looks, computed apart from the SVG so it can be tested. */
export interface BadgeSpec {
  label: string;
  message: string;
  /** Background of the message part. */
  color: string;
  /** Text colour on it: white, or dark on light backgrounds so the text stays readable. */
  textColor: string;
  /** Spoken by screen readers and shown as a tooltip. */
  title: string;
}

// Colours a shade darker than shields.io's so white text keeps a 4.5:1 contrast (yellow takes dark text).
const palette = {
  green: { color: '#2f7d32', textColor: '#fff' },
  yellow: { color: '#dfb317', textColor: '#1f2328' },
  orange: { color: '#c2410c', textColor: '#fff' },
  red: { color: '#b91c1c', textColor: '#fff' },
  blue: { color: '#1d6fb8', textColor: '#fff' },
} as const;

const statusColors: Record<ComponentStatus, keyof typeof palette> = {
  operational: 'green',
  degraded_performance: 'yellow',
  partial_outage: 'orange',
  major_outage: 'red',
  under_maintenance: 'blue',
};
const indicatorColors: Record<Indicator, keyof typeof palette> = {
  none: 'green', minor: 'yellow', major: 'orange', critical: 'red', maintenance: 'blue',
};

/** Rendered width of the text in pixels: Verdana 11px advance widths (the table shields.io measures with, via anafanafo). */
export function textWidth(text: string): number {
  return Math.round(anafanafo(text, { font: '11px Verdana' }) * 10) / 10;
}

/** Renders the badge; every text is escaped, widths come from textWidth. */
export function renderBadge(spec: BadgeSpec): string {
  const pad = 10;
  const lw = Math.ceil(textWidth(spec.label) + pad);
  const mw = Math.ceil(textWidth(spec.message) + pad);
  const w = lw + mw;
  const text = (s: string, cx: number, fill: string): string => {
    const len = textWidth(s);
    return `<text aria-hidden="true" x="${cx}" y="15" fill="#010101" fill-opacity=".3" textLength="${len}">${x(s)}</text>`
      + `<text x="${cx}" y="14" fill="${fill}" textLength="${len}">${x(s)}</text>`;
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${x(spec.title)}">`,
    `<title>${x(spec.title)}</title>`,
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>',
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${spec.color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>`,
    '<g text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="11">',
    text(spec.label, lw / 2, '#fff'),
    text(spec.message, lw + mw / 2, spec.textColor),
    '</g>',
    '</svg>',
    '',
  ].join('');
}

/** The page-wide badge: "status | all systems operational", coloured by the overall indicator. */
export function overallBadge(ctx: ApiContext): BadgeSpec {
  const overall = currentStatus(ctx.model, ctx.now).overall;
  return {
    label: 'status',
    message: overall.description.toLowerCase(),
    ...palette[indicatorColors[overall.indicator]],
    title: `${ctx.model.site.name} status: ${overall.description}`,
  };
}

/** One component's (or group's) badge: "Public API | partial outage"; null for an unknown id. */
export function componentBadge(ctx: ApiContext, id: string): BadgeSpec | null {
  const current = currentStatus(ctx.model, ctx.now);
  const leaf = ctx.model.componentById.get(id);
  const group = leaf ? undefined : ctx.model.groups.find((g) => g.id === id);
  const name = leaf?.name ?? group?.name;
  const status = leaf ? current.componentStatus.get(id) : group ? current.groupStatus.get(id) : undefined;
  if (!name || !status) return null;
  return {
    label: name,
    message: componentStatusLabels[status].toLowerCase(),
    ...palette[statusColors[status]],
    title: `${name}: ${componentStatusLabels[status]}`,
  };
}
