// site.yaml `visibility` and `private_access`, read so that a mistake closes the site rather than opening it
// (docs/decisions/020-private-site.md): a value that is not `public` or `private` makes the site private.
import type { Site } from '../../status/types.ts';
import type { ContentProblem } from './content-file.ts';
import { siteAccessSchema } from './content.schemas.ts';

/** The `privateAccess` of the site from site.yaml's raw fields; problems name the file and field. */
export function siteAccessFrom(file: string, raw: { visibility?: unknown; private_access?: unknown }, problems: ContentProblem[]): Pick<Site, 'privateAccess'> {
  const r = siteAccessSchema.safeParse({ visibility: raw.visibility, private_access: raw.private_access });
  if (r.success) return r.data.visibility === 'private' ? { privateAccess: { allowedDomains: [...new Set(r.data.private_access.allowed_domains)] } } : {};
  for (const i of r.error.issues) {
    const closes = i.path[0] === 'visibility' || raw.visibility === 'private';
    problems.push({ file, field: i.path.join('.'), reason: closes ? `${i.message} (the site is private, with no reader links, until this is fixed)` : i.message });
  }
  // Only a readable `visibility: public` (or none) opens the site; a bad allowed_domains sends no links at all.
  if (raw.visibility === undefined || raw.visibility === 'public') return {};
  return { privateAccess: { allowedDomains: [] } };
}

/**
 * Whether site.yaml's text asks for anything but a public site, for a file that failed to parse as a whole: such a
 * site is served private (with no reader links) until the file is fixed, never public by default.
 */
export function textAsksPrivate(text: string): boolean {
  const m = /^visibility\s*:\s*(.*)$/m.exec(text);
  if (!m) return false;
  return m[1]!.replace(/#.*$/, '').trim().replace(/^['"]|['"]$/g, '') !== 'public';
}

/** The site made private by an unreadable site.yaml, with the problem that says so. */
export function closedSite(site: Site, file: string, problems: ContentProblem[]): Site {
  if (site.privateAccess) return site;
  problems.push({ file, field: 'visibility', reason: 'site.yaml cannot be read and asks for a non-public visibility: the site is private until it is fixed' });
  return { ...site, privateAccess: { allowedDomains: [] } };
}
