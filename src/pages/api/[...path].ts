// Any other path under /api/: a JSON 404, never the HTML not-found page.
import type { APIRoute } from 'astro';
import { notFoundJson } from '../../lib/server/api/http.ts';

export const ALL: APIRoute = ({ url }) => notFoundJson(`No API endpoint at ${url.pathname}; see /api/v2/summary.json`);
