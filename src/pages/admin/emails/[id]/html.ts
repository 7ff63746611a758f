// An email's HTML exactly as sent (placeholder links), served alone: its inline styles need their own CSP.
import type { APIRoute } from 'astro';
import { emailPreview } from '../../../../lib/server/email/email-admin.ts';
import { database, statusModel } from '../../../../lib/server/status-data/runtime.ts';

export const GET: APIRoute = async ({ params }) => {
  const p = await emailPreview(await database(), params.id ?? '', (await statusModel()).site.timezone);
  if (!p) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(p.rendered.html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      // No scripts, forms or plugins; only the email's own inline styles and remote images.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox allow-popups allow-popups-to-escape-sandbox",
      'Cache-Control': 'private, no-store',
    },
  });
};
