// Settings of the public response cache, parsed with zod at start like every other setting.
import { z } from 'astro/zod';

const schema = z.object({
  RESPONSE_CACHE: z.enum(['on', 'off'], { error: "must be 'on' or 'off'" }).default('on'),
  CACHE_MAX_BYTES: z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number of bytes' })
    .transform(Number)
    .default(64 * 1024 * 1024),
  PUBLIC_CACHE_CONTROL: z.string().trim().min(1).default('public, max-age=0, s-maxage=10, stale-while-revalidate=30'),
});

export type CacheSettings = z.infer<typeof schema>;

export function parseCacheSettings(source: Record<string, string | undefined> = process.env): CacheSettings {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''));
  const r = schema.safeParse(cleaned);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(cleaned[String(i.path[0])])})`);
    throw new Error(`Invalid environment settings:\n${lines.join('\n')}`);
  }
  return r.data;
}
