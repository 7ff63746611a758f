// The two bodies we take, parsed once with zod: Alertmanager's webhook (version 4) and the generic JSON webhook.
import { z } from 'astro/zod';
import { severities } from '../../status/vocabulary.ts';

const stringMap = z.record(z.string(), z.string());
const time = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { error: 'must be an RFC 3339 time' });

/** Alertmanager's webhook payload (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export const alertmanagerPayload = z.object({
  version: z.literal('4', { error: "must be '4' (Alertmanager's webhook payload version)" }),
  groupKey: z.string({ error: 'is required' }).min(1, { error: 'is required' }),
  status: z.enum(['firing', 'resolved']),
  groupLabels: stringMap.default({}),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  alerts: z.array(z.object({
    status: z.enum(['firing', 'resolved'], { error: "must be 'firing' or 'resolved'" }),
    labels: stringMap,
    annotations: stringMap.default({}),
    startsAt: time,
    endsAt: z.string().optional(),
    fingerprint: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(200),
  })).min(1, { error: 'must list at least one alert' }),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayload>;

/** The generic webhook (README, "Alerts from Prometheus Alertmanager"): one alert per call, keyed by dedupe_key. */
export const genericAlertPayload = z.object({
  title: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(200),
  severity: z.enum(severities, { error: 'must be P0, P1, P2 or P3' }),
  components: z.array(z.string()).default([]),
  status: z.enum(['firing', 'resolved'], { error: "must be 'firing' or 'resolved'" }),
  dedupe_key: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(180),
  summary: z.string().max(500).optional(),
  started_at: time.optional(),
});
export type GenericAlertPayload = z.infer<typeof genericAlertPayload>;

/** One delivery in the form the service works on. */
export interface Delivery {
  source: 'alertmanager' | 'webhook';
  groupKey: string;
  title: string;
  /** Level named by the sender (generic webhook), else mapped from labels by alerting.yaml. */
  severity: (typeof severities)[number] | null;
  /** Component ids named by the sender (generic webhook), else from labels. */
  components: string[] | null;
  alerts: { fingerprint: string; status: 'firing' | 'resolved'; startsAt: number | null; endsAt: number | null; labels: Record<string, string>; annotations: Record<string, string> }[];
}

const ms = (v: string | undefined): number | null => {
  if (!v) return null;
  const t = Date.parse(v);
  // Alertmanager sends 0001-01-01T00:00:00Z for "no end".
  return Number.isNaN(t) || t <= 0 ? null : t;
};

export function fromAlertmanager(p: AlertmanagerPayload): Delivery {
  const name = p.commonLabels.alertname ?? p.groupLabels.alertname ?? p.alerts[0]!.labels.alertname ?? 'Alert';
  const title = (p.commonAnnotations.title ?? p.commonAnnotations.summary ?? name).replace(/\s+/g, ' ').trim().slice(0, 200) || 'Alert';
  return {
    source: 'alertmanager', groupKey: p.groupKey, title, severity: null, components: null,
    alerts: p.alerts.map((a) => ({ fingerprint: a.fingerprint, status: a.status, startsAt: ms(a.startsAt), endsAt: ms(a.endsAt), labels: a.labels, annotations: a.annotations })),
  };
}

export function fromGeneric(p: GenericAlertPayload): Delivery {
  return {
    source: 'webhook', groupKey: p.dedupe_key, title: p.title, severity: p.severity, components: p.components,
    alerts: [{ fingerprint: `webhook:${p.dedupe_key}`, status: p.status, startsAt: ms(p.started_at), endsAt: null, labels: {}, annotations: p.summary ? { summary: p.summary } : {} }],
  };
}
