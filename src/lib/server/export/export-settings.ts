// Settings of the static mirror (docs/static-mirror.md): where the copy goes and where it is pushed. Part of env.ts's schema.
import { z } from 'astro/zod';

const optionalText = z.string().trim().min(1).optional();
const httpUrl = (what: string) => z.url({ protocol: /^https?$/, error: `must be an absolute http(s) URL such as ${what}` });

/** Fields merged into the environment schema; all optional (see STATIC_EXPORT_DEFAULTS). */
export const staticExportFields = {
  STATIC_EXPORT_DIR: optionalText,
  /** Public URLs of the mirrors, comma-separated: their origins may POST /subscribe to this site. */
  STATIC_MIRROR_URL: z
    .string()
    .transform((v, ctx) => {
      const urls = v.split(',').map((s) => s.trim()).filter(Boolean);
      for (const u of urls) {
        if (!httpUrl('https://example.github.io/status').safeParse(u).success) {
          ctx.addIssue({ code: 'custom', message: `'${u}' is not an absolute http(s) URL such as https://example.github.io/status (comma-separate several)` });
          return z.NEVER;
        }
      }
      return urls.map((u) => new URL(u).origin);
    })
    .optional(),
  STATIC_EXPORT_GIT_REMOTE: optionalText,
  STATIC_EXPORT_GIT_BRANCH: z
    .string()
    .trim()
    .regex(/^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![./])$/, { error: 'must be a plain branch name such as gh-pages' })
    .optional(),
  STATIC_EXPORT_GIT_AUTHOR_NAME: optionalText,
  STATIC_EXPORT_GIT_AUTHOR_EMAIL: z.string().trim().regex(/^[^\s@<>]+@[^\s@<>]+$/, { error: 'must be an email address' }).optional(),
  STATIC_EXPORT_S3_BUCKET: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)' })
    .optional(),
  STATIC_EXPORT_S3_ENDPOINT: httpUrl('https://s3.example.com or http://127.0.0.1:9000').optional(),
  STATIC_EXPORT_S3_REGION: optionalText,
  STATIC_EXPORT_S3_PREFIX: z
    .string()
    .trim()
    .transform((v) => v.replace(/^\/+|\/+$/g, ''))
    .transform((v) => (v === '' ? '' : `${v}/`))
    .optional(),
};

/** Defaults, applied where the settings are used so that an environment without a mirror parses as before. */
export const STATIC_EXPORT_DEFAULTS = {
  gitBranch: 'gh-pages',
  gitAuthorName: 'Kaizen Status',
  gitAuthorEmail: 'status-mirror@localhost',
} as const;

const fieldsSchema = z.object(staticExportFields);
type Fields = z.infer<typeof fieldsSchema>;

/** Cross-field rules: a push target needs a folder to push from. */
export function checkStaticExportSettings(v: Fields, ctx: z.RefinementCtx): void {
  for (const key of ['STATIC_EXPORT_GIT_REMOTE', 'STATIC_EXPORT_S3_BUCKET'] as const) {
    if (v[key] && !v.STATIC_EXPORT_DIR) ctx.addIssue({ code: 'custom', path: [key], message: 'needs STATIC_EXPORT_DIR, the folder the static copy is written to and pushed from' });
  }
  if (v.STATIC_EXPORT_S3_ENDPOINT && !v.STATIC_EXPORT_S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['STATIC_EXPORT_S3_ENDPOINT'], message: 'needs STATIC_EXPORT_S3_BUCKET' });
  }
}
