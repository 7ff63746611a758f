// The subscriber list as CSV (admin only: /admin paths need a session).
import type { APIRoute } from 'astro';
import { subscribersCsv } from '../../lib/server/subscribers/subscriber-admin.ts';
import { database, statusModel } from '../../lib/server/status-data/runtime.ts';

export const GET: APIRoute = async ({ url }) => {
  const model = await statusModel();
  const names = new Map(model.components.map((c) => [c.id, c.name]));
  const csv = await subscribersCsv(await database(), (url.searchParams.get('q') ?? '').slice(0, 320), names);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="subscribers-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
};
