// Post-mortem flows over HTTP: a resolved incident declared in admin, the editor's fields, a template filled in.
import type { AdminClient } from './admin-client.ts';

const unescape = (s: string): string =>
  s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&#x27;', "'").replaceAll('&amp;', '&');

/** A datetime-local value `offsetMinutes` from now (the fixture's zone is UTC). */
export const localTime = (offsetMinutes = 0): string => new Date(Date.now() + offsetMinutes * 60_000).toISOString().slice(0, 16);

/** Declares a P1 on `component` in admin and resolves it; returns its id. */
export async function resolvedIncident(admin: AdminClient, title: string, component = 'api'): Promise<string> {
  const r = await admin.post('/admin/incidents/new', { title, severity: 'P1', [`component.${component}`]: 'major_outage', detected: localTime(-50), message: `We are investigating reports of ${title.toLowerCase()}.`, notify: 'auto' });
  if (r.status !== 303) throw new Error(`declare failed: ${r.status}\n${await r.text()}`);
  const page = r.headers.get('location')!.replace(/\?.*/, '');
  const resolved = await admin.post(page, { action: 'update', status: 'resolved', message: 'Issue has been resolved. All systems operational.' });
  if (resolved.status !== 303) throw new Error(`resolve failed: ${resolved.status}`);
  return page.split('/').pop()!;
}

/** The editor's textarea, as typed. */
export function editorBody(html: string): string {
  const m = /<textarea class="tall" id="body" name="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(html);
  if (!m) throw new Error(`no body textarea in:\n${html.slice(0, 2000)}`);
  return unescape(m[1]!);
}

/** The editor's title field. */
export function editorTitle(html: string): string {
  return unescape(/<input id="title" name="title" type="text" value="([^"]*)"/.exec(html)?.[1] ?? '');
}

/** The confirmation panel's token (present only when the panel is shown). */
export function confirmToken(html: string): string | null {
  const m = /<input type="hidden" name="confirmed" value="([^"]+)" form="pm-form"/.exec(html) ?? /<input type="hidden" name="confirmed" form="pm-form" value="([^"]+)"/.exec(html);
  return m ? m[1]! : null;
}

/** The prefilled template with every prompt replaced by real prose; one action item done. */
export function fillTemplate(body: string): string {
  return body
    .replace('Number of users affected', 'About 1,200 customers could not check out')
    .replace('Detailed explanation of what went wrong', 'A full disk on the payments database; the X-Request-Id logs show every failed call.')
    .replace('- Users affected: X', '- Users affected: about 1,200')
    .replace('- Revenue impact: $X', '- Revenue impact: about $3,000, plus a $5 credit per customer')
    .replace('What fixed the issue', 'We freed space and added a volume; this P1 incident ended at once.')
    .replace('- [ ] Fix root cause (owner, deadline)', '- [x] Fix root cause (Priya Natarajan, 2026-12-04)')
    .replaceAll('(owner, deadline)', '(Tom Okafor, 2026-12-11)')
    .replace('What went well and what needs improvement', 'Alerts paged within 3 minutes; disk alerts need a lower threshold.');
}
