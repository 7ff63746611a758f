// Runtime settings, parsed once from process.env with zod; a bad value stops start-up naming it.
import { availableParallelism } from 'node:os';
import { z } from 'astro/zod';
import { checkStaticExportSettings, staticExportFields } from './export/export-settings.ts';
import { parseTrustProxy } from './http/client-address.ts';
import { redactUrl } from './db/redact-url.ts';
import { checkSsoSettings, ssoFields } from './auth/sso-settings.ts';

/** A size in bytes, a whole number of at least 1024 (smaller would refuse ordinary forms). */
function byteLimit(defaultBytes: number) {
  return z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number of bytes, e.g. 65536' })
    .transform(Number)
    .refine((n) => n >= 1024, { error: 'must be at least 1024 bytes' })
    .default(defaultBytes);
}

const envSchema = z.object({
  CONTENT_DIR: z.string().trim().min(1).default('./content'),
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .default('./data/status.db')
    .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^postgres(ql)?:\/\//i.test(v), {
      error: 'must be a SQLite file path (e.g. ./data/status.db) or a postgres:// URL',
    }),
  HOST: z.string().trim().min(1).default('localhost'),
  PORT: z
    .string()
    .transform((v, ctx) => {
      const n = Number(v.trim());
      const problem = v.trim() === '' || Number.isNaN(n) ? 'must be a number'
        : !Number.isInteger(n) ? 'must be a whole number'
        : n < 0 || n > 65535 ? 'must be between 0 and 65535'
        : null;
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return n;
    })
    .default(4321),
  SITE_URL: z.url({ protocol: /^https?$/, error: 'must be an absolute URL, http or https, such as https://status.example.com' }).optional(),
  // Which proxies' X-Forwarded-For to believe (unset: none, the socket's address is the client's).
  TRUST_PROXY: z
    .string()
    .transform((v, ctx) => {
      const t = parseTrustProxy(v);
      if (typeof t === 'string') {
        ctx.addIssue({ code: 'custom', message: t });
        return z.NEVER;
      }
      return t;
    })
    .optional(),
  // Email through Resend (docs/email.md): without RESEND_API_KEY emails stay in the outbox, unsent.
  RESEND_API_KEY: z.string().trim().min(1).optional(),
  EMAIL_FROM: z
    .string()
    .trim()
    .regex(/^(?:[^<>@]*<\s*[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/, {
      error: 'must be an address, e.g. Kaizen Status <status@example.com> or status@example.com',
    })
    .refine((v) => !/[\r\n]/.test(v), { error: 'must be a single line' })
    .optional(),
  RESEND_RATE_LIMIT: z
    .string()
    .transform((v, ctx) => {
      const n = Number(v.trim());
      if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1000) {
        ctx.addIssue({ code: 'custom', message: 'must be a number of requests per second above 0 (Resend allows 2 by default)' });
        return z.NEVER;
      }
      return n;
    })
    .default(2),
  RESEND_WEBHOOK_SECRET: z.string().trim().min(1).optional(),
  // While the database or the content folder is down, readers see "updates may be delayed" after this long.
  DELAY_NOTICE_AFTER_SECONDS: z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number of seconds (0 shows the notice at once)' })
    .transform(Number)
    .default(60),
  // How often a public page with JavaScript asks whether the data changed (README, "Public pages"); 0 turns it off.
  PAGE_REFRESH_SECONDS: z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number of seconds (0 turns the self-refresh off)' })
    .transform(Number)
    .default(60),
  // Request bodies (README, "Limits"): forms, and JSON under /api/ such as the Resend webhook.
  MAX_FORM_BYTES: byteLimit(64 * 1024),
  MAX_WEBHOOK_BYTES: byteLimit(256 * 1024),
  // Processes serving HTTP (decision record 022): a number, or `auto` for one per core; 1 serves from this process.
  WEB_CONCURRENCY: z
    .string()
    .trim()
    .regex(/^(auto|[1-9]\d?)$/, { error: 'must be a whole number of processes from 1 to 99, or auto (one per core)' })
    .transform((v) => (v === 'auto' ? availableParallelism() : Number(v)))
    .default(1),
  // /metrics (README, "Metrics"): off unless set; then readers send it as a bearer token.
  METRICS_TOKEN: z.string().trim().min(16, { error: 'must be at least 16 characters (a random secret, e.g. openssl rand -hex 32)' }).optional(),
  // Alerts in (README, "Alerts from Prometheus Alertmanager"): off unless set; senders use it as a bearer token.
  ALERTS_TOKEN: z.string().trim().min(16, { error: 'must be at least 16 characters (a random secret, e.g. openssl rand -hex 32)' }).optional(),
  // The manage API (docs/api.md): requests per API key per minute, then 429 with Retry-After.
  API_RATE_LIMIT_PER_MINUTE: z.string().regex(/^[1-9]\d*$/, { error: 'must be a whole number of requests per minute, at least 1' }).transform(Number).default(120),
  // Chat and webhook notifications (README, "Chat and webhook notifications").
  ALLOW_PRIVATE_WEBHOOKS: z.enum(['0', '1'], { error: 'must be 1 (allow private, loopback and link-local webhook addresses) or 0' }).transform((v) => v === '1').default(false),
  TEAM_CHANNEL_URL: z.url({ protocol: /^https?$/, error: 'must be a Slack or Teams incoming webhook URL, e.g. https://hooks.slack.com/services/…' }).optional(),
  CHANNEL_RETRY_BASE_MS: z.string().regex(/^\d+$/, { error: 'must be a whole number of milliseconds, e.g. 2000' }).transform(Number)
    .refine((n) => n >= 10, { error: 'must be at least 10 ms' }).default(2000),
  // Two-factor sign-in (README, "Two-factor sign-in"): 1 sends users without TOTP to enrol before anything else in admin.
  REQUIRE_2FA: z.enum(['0', '1'], { error: 'must be 1 (every admin user must set up two-factor sign-in) or 0' }).transform((v) => v === '1').default(false),
  // The static mirror (docs/static-mirror.md).
  ...staticExportFields,
  // Single sign-on and password sign-in (README, "Single sign-on (OpenID Connect)").
  ...ssoFields,
}).superRefine((v, ctx) => {
  if (v.RESEND_API_KEY && !v.EMAIL_FROM) ctx.addIssue({ code: 'custom', path: ['EMAIL_FROM'], message: 'is required when RESEND_API_KEY is set' });
  checkStaticExportSettings(v, ctx);
  checkSsoSettings(v, ctx);
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

/** Parses settings from the given environment; throws EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const r = envSchema.safeParse(cleaned);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(redactUrl(cleaned[String(i.path[0])] ?? ''))})`);
    throw new EnvError(`Invalid environment settings:\n${lines.join('\n')}`);
  }
  return r.data;
}

let cached: Env | null = null;

/** The settings of this process, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
