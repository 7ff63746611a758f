// One zod schema per content file kind; the types are inferred from them.
import { z } from 'astro/zod';
import { singleLine } from '../../status/field-limits.ts';
import { isValidTimeZone } from '../../status/time.ts';
import { locales } from '../../i18n/locales.ts';
import {
  audiences, componentStatuses, impacts, incidentComponentStatuses, incidentStatuses, maintenanceStatuses, severities,
} from '../../status/vocabulary.ts';

const kebabId = z
  .string({ error: 'must be a string' })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be kebab-case (a-z, 0-9 and single dashes)' });

/** ISO 8601 with a Z or ±hh:mm offset; a time without an offset is ambiguous and refused. */
export const isoTime = z.preprocess(
  (v) => (v instanceof Date ? v.toISOString() : v),
  z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time with an offset, e.g. 2026-11-20T10:05:00Z' }),
).transform((s) => Date.parse(s));

const text = (what: string) => z.string({ error: `${what} is required` }).trim().min(1, { error: `${what} must not be empty` });
/** A title or name: shown in headings and email subjects, so line breaks are collapsed to spaces. */
const line = (what: string) => text(what).transform(singleLine).pipe(z.string().min(1, { error: `${what} must not be empty` }));

/** Why a site.yaml `logo` cannot be used in an email, or null when it can. */
function logoProblem(value: string): string | null {
  const v = value.trim();
  const example = 'e.g. https://status.example.com/logo.png or /logo.png';
  if (v === '') return `must not be empty (leave it out for no logo)`;
  if (v.startsWith('//') || /\s/.test(v)) return `must be an http(s) URL or a path relative to the site URL, ${example}`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(v) && !/^https?:\/\/[^/\s]+/i.test(v)) return `must be an http(s) URL or a path relative to the site URL, ${example}`;
  // Gmail and Outlook do not show SVG images.
  if (/\.svgz?(?:[?#].*)?$/i.test(v)) return 'must be a PNG, JPEG or GIF image: Gmail and Outlook do not show SVG';
  return null;
}

export const siteSchema = z.object({
  name: line('name'),
  /** Links' schemes (http(s) only) are checked when the snapshot is built, so a bad one drops only itself (content-snapshot.ts). */
  url: z.url({ error: 'must be an absolute URL, e.g. https://status.example.com' }),
  description: z.string().default(''),
  timezone: z.string().default('UTC').refine(isValidTimeZone, { error: 'is not a known IANA time zone, e.g. Europe/London' }),
  support_url: z.url({ error: 'must be an absolute URL' }).nullish(),
  email_signature: z.string().trim().min(1).default('Engineering Team'),
  /** An image shown in the header of every email: absolute, or relative to `url`. */
  logo: z.string({ error: 'must be an image URL or a path, e.g. /logo.png' }).superRefine((v, ctx) => {
    const problem = logoProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).transform((v) => v.trim()).nullish(),
  show_reliability: z.boolean().default(false),
  /** The interface languages, the first the default (served at '/'); each one of the shipped catalogs. */
  languages: z
    .array(z.enum(locales, { error: `must be one of ${locales.join(', ')}` }), { error: `must be a list of languages, e.g. [en, de]` })
    .min(1, { error: 'must name at least one language, e.g. [en]' })
    .refine((list) => new Set(list).size === list.length, { error: 'must not name a language twice' })
    .default(['en']),
  /** Read raw here and checked by `siteAccessSchema` when the snapshot is built: a bad value makes the site private, never public. */
  visibility: z.unknown().optional(),
  private_access: z.unknown().optional(),
});
export type SiteFile = z.infer<typeof siteSchema>;

export const siteVisibilities = ['public', 'private'] as const;

/** A domain readers' addresses may end in: lower case, at least one dot, no '@'. */
const emailDomain = z
  .string({ error: 'must be a domain, e.g. example.com' })
  .trim()
  .toLowerCase()
  .regex(/^(?!-)[a-z0-9-]+(?:\.[a-z0-9-]+)+$/, { error: 'must be a domain such as example.com (no @, no scheme)' });

/** site.yaml `visibility` and `private_access` (README, "Private status page"). */
export const siteAccessSchema = z.object({
  visibility: z.enum(siteVisibilities, { error: `must be one of ${siteVisibilities.join(', ')}` }).default('public'),
  private_access: z
    .object({
      allowed_domains: z.array(emailDomain, { error: 'must be a list of domains, e.g. [example.com]' }).default([]),
    }, { error: 'must be a map with allowed_domains, e.g. { allowed_domains: [example.com] }' })
    .strict()
    .default({ allowed_domains: [] }),
});
export type SiteAccessFile = z.infer<typeof siteAccessSchema>;

/** `audience: internal` keeps an item to signed-in users (README, "Components and incidents for the team only"). */
const audienceField = z.enum(audiences, { error: `must be one of ${audiences.join(', ')}` }).default('public');

const componentSchema = z.object({
  id: kebabId,
  name: line('name'),
  description: z.string().nullish(),
  status: z.enum(componentStatuses, { error: `must be one of ${componentStatuses.join(', ')}` }).default('operational'),
  audience: audienceField,
});

const groupSchema = componentSchema.omit({ status: true }).extend({
  components: z.array(componentSchema, { error: 'must be a list of components' }),
});

// An entry with `components:` is a group; choosing the schema by that key keeps error paths precise.
const entrySchema = z.custom<unknown>().transform((entry, ctx) => {
  const isGroup = typeof entry === 'object' && entry !== null && 'components' in entry;
  const r = (isGroup ? groupSchema : componentSchema).safeParse(entry);
  if (r.success) return r.data as z.infer<typeof groupSchema> | z.infer<typeof componentSchema>;
  for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return z.NEVER;
});

export const componentsSchema = z.array(entrySchema, { error: 'must be a list of components and groups' });
export type ComponentsFile = z.infer<typeof componentsSchema>;

const componentStatusMap = z.record(
  z.string(),
  z.enum(incidentComponentStatuses, { error: `must be one of ${incidentComponentStatuses.join(', ')}` }),
  { error: 'must map component ids to statuses' },
);

export const incidentSchema = z.object({
  title: line('title'),
  severity: z.enum(severities, { error: `must be one of ${severities.join(', ')}` }),
  impact: z.enum(impacts, { error: `must be one of ${impacts.join(', ')}` }).nullish(),
  components: componentStatusMap.default({}),
  started: isoTime.nullish(),
  detected: isoTime.nullish(),
  acknowledged: isoTime.nullish(),
  mitigated: isoTime.nullish(),
  false_positive: z.boolean({ error: 'must be true or false' }).default(false),
  repeat_of: z.string().nullish(),
  /** Email subscribers about this incident's updates (default: P0/P1 yes, P2/P3 no). */
  notify: z.boolean({ error: 'must be true or false' }).nullish(),
  audience: audienceField,
  updates: z
    .array(
      z.object({
        at: isoTime,
        status: z.enum(incidentStatuses, { error: `must be one of ${incidentStatuses.join(', ')}` }),
        message: text('message'),
        notify: z.boolean({ error: 'must be true or false' }).nullish(),
      }),
      { error: 'must be a list of updates' },
    )
    .min(1, { error: 'needs at least one update' }),
});
export type IncidentFile = z.infer<typeof incidentSchema>;

export const maintenanceSchema = z.object({
  title: line('title'),
  components: z.array(z.string(), { error: 'must be a list of component ids' }).default([]),
  scheduled_start: isoTime,
  scheduled_end: isoTime,
  /** When the window was announced; without it, when this file was first seen. */
  announced: isoTime.optional(),
  audience: audienceField,
  updates: z
    .array(
      z.object({
        at: isoTime,
        status: z.enum(maintenanceStatuses, { error: `must be one of ${maintenanceStatuses.join(', ')}` }),
        message: text('message'),
      }),
      { error: 'must be a list of updates' },
    )
    .default([]),
});
export type MaintenanceFile = z.infer<typeof maintenanceSchema>;

export const postmortemSchema = z.object({
  incident: text('incident'),
  title: line('title'),
  published: isoTime.nullish(),
});
export type PostmortemFile = z.infer<typeof postmortemSchema>;

const durationField = z.string({ error: 'must be a duration such as 15m, 90s or 1h' }).regex(/^\d+(?:\.\d+)?(ms|s|m|h)$/, { error: 'must be a duration such as 15m, 90s or 1h' });
const publishField = z.enum(['auto', 'draft'], { error: "must be 'auto' or 'draft'" });

/** content/alerting.yaml: how alerts map to the runbook (README, "Alerts from Prometheus Alertmanager"). */
export const alertingSchema = z.strictObject({
  component_label: z.string().min(1).default('component'),
  severity_label: z.string().min(1).default('severity'),
  severity: z.record(z.string(), z.enum(severities, { error: 'must be P0, P1, P2 or P3' })).default({ critical: 'P1', warning: 'P2', info: 'P3' }),
  default_severity: z.enum(severities, { error: 'must be P0, P1, P2 or P3' }).default('P3'),
  publish: z.strictObject({ P0: publishField.default('auto'), P1: publishField.default('auto'), P2: publishField.default('draft'), P3: publishField.default('draft') }).default({ P0: 'auto', P1: 'auto', P2: 'draft', P3: 'draft' }),
  resolve_after: durationField.default('15m'),
});
export type AlertingFile = z.infer<typeof alertingSchema>;
