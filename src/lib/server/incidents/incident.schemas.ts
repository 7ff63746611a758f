// The admin's incident forms, parsed once with zod: per-field messages, typed results.
import { z } from 'astro/zod';
import { fieldLimits, hasLineBreak, multiLineMessage, tooLongMessage } from '../../status/field-limits.ts';
import { findPlaceholders } from '../../status/runbook-templates.ts';
import { parseLocalDateTime } from '../../status/time.ts';
import { impacts, incidentComponentStatuses, incidentStatuses, severities } from '../../status/vocabulary.ts';

export const MAX_FUTURE_MS = 24 * 3_600_000;

export interface FormContext {
  timeZone: string;
  now: number;
  componentIds: readonly string[];
}

/** A datetime-local field in the site's zone; blank → null; more than 24 h ahead refused. */
function timeField(ctx: FormContext, label: string) {
  return z
    .string()
    .optional()
    .transform((v, c) => {
      if (!v || v.trim() === '') return null;
      const t = parseLocalDateTime(v, ctx.timeZone);
      if (t === null) {
        c.addIssue({ code: 'custom', message: `${label} must be a date and time, e.g. 2026-11-20T10:05` });
        return z.NEVER;
      }
      if (t > ctx.now + MAX_FUTURE_MS) {
        c.addIssue({ code: 'custom', message: `${label} is more than 24 hours in the future` });
        return z.NEVER;
      }
      return t;
    });
}

/** The message: required, and no runbook placeholder such as [issue] left in it. */
const messageField = z
  .string({ error: 'Message is required' })
  .trim()
  .min(1, { error: 'Message must not be empty' })
  .max(fieldLimits.message, { error: tooLongMessage('Message', fieldLimits.message) })
  .superRefine((v, c) => {
    const left = findPlaceholders(v);
    if (left.length > 0) c.addIssue({ code: 'custom', message: `Replace the template placeholder${left.length > 1 ? 's' : ''} ${left.join(', ')} before posting` });
  });

/** "auto" follows the runbook: stakeholders are emailed for P0/P1. */
const notifyChoice = z.enum(['auto', 'yes', 'no'], { error: 'Choose whether to notify subscribers' }).default('auto');

export function resolveNotify(choice: 'auto' | 'yes' | 'no', severity: (typeof severities)[number]): boolean {
  return choice === 'yes' || (choice === 'auto' && (severity === 'P0' || severity === 'P1'));
}

/** Collects `component.<id>` selects into a status map; blank means not affected; unknown ids refused. */
function componentMap(ctx: FormContext, raw: Record<string, string>, issues: { path: string; message: string }[]): Record<string, (typeof incidentComponentStatuses)[number]> {
  const out: Record<string, (typeof incidentComponentStatuses)[number]> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('component.') || value === '') continue;
    const id = key.slice('component.'.length);
    if (!ctx.componentIds.includes(id)) issues.push({ path: key, message: `Unknown component '${id}'` });
    else if (!(incidentComponentStatuses as readonly string[]).includes(value)) issues.push({ path: key, message: `Unknown status '${value}'` });
    else out[id] = value as (typeof incidentComponentStatuses)[number];
  }
  return out;
}

type Ctx = z.RefinementCtx;

/** Parses one field with its own schema, reporting its issues under its name; every field is checked, not just the first bad one. */
function field<S extends z.ZodType>(c: Ctx, path: string, schema: S, value: unknown): z.infer<S> | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) c.addIssue({ code: 'custom', path: [path], message: issue.message });
  return undefined;
}

const raw = z.record(z.string(), z.string());
const titleField = z.string({ error: 'Title is required' }).trim().min(1, { error: 'Title is required' }).max(fieldLimits.title, { error: tooLongMessage('Title', fieldLimits.title) }).refine((v) => !hasLineBreak(v), { error: multiLineMessage('Title') });
const severityField = z.enum(severities, { error: 'Choose a severity' });

export function newIncidentSchema(ctx: FormContext, rawForm: Record<string, string>) {
  return raw.transform((v, c) => {
    const title = field(c, 'title', titleField, v.title);
    const severity = field(c, 'severity', severityField, v.severity);
    const started = field(c, 'started', timeField(ctx, 'Impact start'), v.started);
    const detectedInput = field(c, 'detected', timeField(ctx, 'Detected'), v.detected);
    const acknowledged = field(c, 'acknowledged', timeField(ctx, 'Acknowledged'), v.acknowledged);
    const message = field(c, 'message', messageField, v.message);
    const notify = field(c, 'notify', notifyChoice, v.notify);
    const issues: { path: string; message: string }[] = [];
    const components = componentMap(ctx, rawForm, issues);
    for (const i of issues) c.addIssue({ code: 'custom', path: [i.path], message: i.message });
    const detected = detectedInput ?? ctx.now;
    if (acknowledged != null && acknowledged < detected) c.addIssue({ code: 'custom', path: ['acknowledged'], message: 'Acknowledged cannot be before detected' });
    if (started != null && started > detected) c.addIssue({ code: 'custom', path: ['started'], message: 'Impact start cannot be after detection' });
    if (title === undefined || severity === undefined || message === undefined || notify === undefined || started === undefined || acknowledged === undefined) return z.NEVER;
    return {
      title, severity, started, detected, acknowledged, message, components,
      notify: resolveNotify(notify, severity),
      notifyChoice: notify,
      data_breach: v.data_breach === 'on',
      ...(v.team_only === 'on' ? { audience: 'internal' as const } : {}),
    };
  });
}
export type NewIncidentInput = z.infer<ReturnType<typeof newIncidentSchema>>;

export function updateSchema(ctx: FormContext, rawForm: Record<string, string>, severity: (typeof severities)[number]) {
  return raw.transform((v, c) => {
    const status = field(c, 'status', z.enum(incidentStatuses, { error: 'Choose a status' }), v.status);
    const message = field(c, 'message', messageField, v.message);
    const at = field(c, 'at', timeField(ctx, 'Time'), v.at);
    const notify = field(c, 'notify', notifyChoice, v.notify);
    const issues: { path: string; message: string }[] = [];
    const components = componentMap(ctx, rawForm, issues);
    for (const i of issues) c.addIssue({ code: 'custom', path: [i.path], message: i.message });
    if (status === undefined || message === undefined || at === undefined || notify === undefined) return z.NEVER;
    return {
      status, message, components,
      at: at ?? ctx.now,
      notify: resolveNotify(notify, severity),
      /** What the engineer chose, for saying why nobody was emailed. */
      notifyChoice: notify,
    };
  });
}
export type UpdateInput = z.infer<ReturnType<typeof updateSchema>>;

export function editUpdateSchema(ctx: FormContext) {
  return z.object({
    update_id: z.string().min(1, { error: 'Which update?' }).max(fieldLimits.id, { error: tooLongMessage('Update', fieldLimits.id) }),
    message: messageField,
    at: timeField(ctx, 'Time').refine((v) => v !== null, { error: 'Time is required' }),
  });
}
export type EditUpdateInput = z.infer<ReturnType<typeof editUpdateSchema>>;

/** Correcting what was declared: every field as it should have been, checked together like a new incident's. */
export function correctionSchema(ctx: FormContext, rawForm: Record<string, string>) {
  return raw.transform((v, c) => {
    const title = field(c, 'title', titleField, v.title);
    const severity = field(c, 'severity', severityField, v.severity);
    const impact = field(c, 'impact', z.enum(['', ...impacts], { error: 'Choose an impact, or follow the severity' }), v.impact ?? '');
    const started = field(c, 'started', timeField(ctx, 'Impact start'), v.started);
    const detected = field(c, 'detected', timeField(ctx, 'Detected'), v.detected);
    const acknowledged = field(c, 'acknowledged', timeField(ctx, 'Acknowledged'), v.acknowledged);
    const mitigated = field(c, 'mitigated', timeField(ctx, 'Mitigated'), v.mitigated);
    const issues: { path: string; message: string }[] = [];
    const components = componentMap(ctx, rawForm, issues);
    for (const i of issues) c.addIssue({ code: 'custom', path: [i.path], message: i.message });
    if (detected != null && acknowledged != null && acknowledged < detected) c.addIssue({ code: 'custom', path: ['acknowledged'], message: 'Acknowledged cannot be before detected' });
    if (detected != null && started != null && started > detected) c.addIssue({ code: 'custom', path: ['started'], message: 'Impact start cannot be after detection' });
    if (detected != null && mitigated != null && mitigated < detected) c.addIssue({ code: 'custom', path: ['mitigated'], message: 'Mitigated cannot be before detected' });
    if (title === undefined || severity === undefined || impact === undefined || started === undefined || detected === undefined || acknowledged === undefined || mitigated === undefined) return z.NEVER;
    const repeat = v.repeat_of?.trim() ?? '';
    if (repeat.length > fieldLimits.id) {
      c.addIssue({ code: 'custom', path: ['repeat_of'], message: tooLongMessage('Repeat of', fieldLimits.id) });
      return z.NEVER;
    }
    return {
      title, severity, components, started, detected, acknowledged, mitigated,
      impact: impact === '' ? null : impact,
      false_positive: v.false_positive === 'on',
      team_only: v.team_only === 'on',
      repeat_of: repeat === '' ? null : repeat,
    };
  });
}
export type CorrectionInput = z.infer<ReturnType<typeof correctionSchema>>;
