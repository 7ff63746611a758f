// The admin's incident forms, parsed once with zod: per-field messages, typed results.
import { z } from 'astro/zod';
import { findPlaceholders } from '../../status/runbook-templates.ts';
import { parseLocalDateTime } from '../../status/time.ts';
import { incidentComponentStatuses, incidentStatuses, severities } from '../../status/vocabulary.ts';

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
  .max(20_000, { error: 'Message is too long (20,000 characters at most)' })
  .superRefine((v, c) => {
    const left = findPlaceholders(v);
    if (left.length > 0) c.addIssue({ code: 'custom', message: `Replace the template placeholder${left.length > 1 ? 's' : ''} ${left.join(', ')} before posting` });
  });

const checkbox = z.string().optional().transform((v) => v === 'on' || v === '1' || v === 'true');

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

export function newIncidentSchema(ctx: FormContext, raw: Record<string, string>) {
  return z
    .object({
      title: z.string({ error: 'Title is required' }).trim().min(1, { error: 'Title is required' }).max(200, { error: 'Title is too long (200 characters at most)' }),
      severity: z.enum(severities, { error: 'Choose a severity' }),
      started: timeField(ctx, 'Impact start'),
      detected: timeField(ctx, 'Detected'),
      acknowledged: timeField(ctx, 'Acknowledged'),
      message: messageField,
      notify: notifyChoice,
      data_breach: checkbox,
    })
    .transform((v, c) => {
      const issues: { path: string; message: string }[] = [];
      const components = componentMap(ctx, raw, issues);
      for (const i of issues) c.addIssue({ code: 'custom', path: [i.path], message: i.message });
      const detected = v.detected ?? ctx.now;
      if (v.acknowledged !== null && v.acknowledged < detected) c.addIssue({ code: 'custom', path: ['acknowledged'], message: 'Acknowledged cannot be before detected' });
      if (v.started !== null && v.started > detected) c.addIssue({ code: 'custom', path: ['started'], message: 'Impact start cannot be after detection' });
      return { ...v, detected, components, notify: resolveNotify(v.notify, v.severity) };
    });
}
export type NewIncidentInput = z.infer<ReturnType<typeof newIncidentSchema>>;

export function updateSchema(ctx: FormContext, raw: Record<string, string>, severity: (typeof severities)[number]) {
  return z
    .object({
      status: z.enum(incidentStatuses, { error: 'Choose a status' }),
      message: messageField,
      at: timeField(ctx, 'Time'),
      mitigated: timeField(ctx, 'Mitigated'),
      false_positive: checkbox,
      repeat_of: z.string().optional().transform((v) => (v && v.trim() !== '' ? v.trim() : null)),
      notify: notifyChoice,
    })
    .transform((v, c) => {
      const issues: { path: string; message: string }[] = [];
      const components = componentMap(ctx, raw, issues);
      for (const i of issues) c.addIssue({ code: 'custom', path: [i.path], message: i.message });
      return { ...v, at: v.at ?? ctx.now, components, notify: resolveNotify(v.notify, severity) };
    });
}
export type UpdateInput = z.infer<ReturnType<typeof updateSchema>>;

export function editUpdateSchema(ctx: FormContext) {
  return z.object({
    update_id: z.string().min(1, { error: 'Which update?' }),
    message: messageField,
    at: timeField(ctx, 'Time').refine((v) => v !== null, { error: 'Time is required' }),
  });
}
export type EditUpdateInput = z.infer<ReturnType<typeof editUpdateSchema>>;
