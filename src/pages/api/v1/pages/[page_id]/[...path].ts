// /api/v1/pages/{page_id}/…: Statuspage's manage API v1, the subset automation uses (docs/api.md). Key-authenticated only.
import type { APIRoute } from 'astro';
import { handleManageRequest } from '../../../../../lib/server/api/manage/manage-route.ts';

export const ALL: APIRoute = ({ request, params, url }) => handleManageRequest(request, params.page_id ?? '', params.path ?? '', url);
