// site.yaml `visibility` and `private_access`: read so that a mistake closes the site, never opens it.
import { describe, expect, it } from 'vitest';
import type { ContentProblem } from '../../../../src/lib/server/content/content-file.ts';
import { parseContentFile } from '../../../../src/lib/server/content/content-file.ts';
import { buildSnapshot } from '../../../../src/lib/server/content/content-snapshot.ts';
import { siteAccessFrom, textAsksPrivate } from '../../../../src/lib/server/content/site-access.ts';

const access = (raw: { visibility?: unknown; private_access?: unknown }): { site: ReturnType<typeof siteAccessFrom>; problems: ContentProblem[] } => {
  const problems: ContentProblem[] = [];
  return { site: siteAccessFrom('site.yaml', raw, problems), problems };
};

describe('siteAccessFrom', () => {
  it('is public without the fields, or with visibility: public', () => {
    expect(access({})).toEqual({ site: {}, problems: [] });
    expect(access({ visibility: 'public' })).toEqual({ site: {}, problems: [] });
  });
  it('is private with its domains, lower-cased and once each', () => {
    expect(access({ visibility: 'private', private_access: { allowed_domains: ['Kaizen.AI', 'example.com', 'kaizen.ai'] } }))
      .toEqual({ site: { privateAccess: { allowedDomains: ['kaizen.ai', 'example.com'] } }, problems: [] });
    expect(access({ visibility: 'private' }).site).toEqual({ privateAccess: { allowedDomains: [] } });
  });
  it.each(['secret', 'Private', true, 1, ['private'], null])('fails closed on visibility %j, naming the field', (visibility) => {
    const r = access({ visibility });
    expect(r.site).toEqual({ privateAccess: { allowedDomains: [] } });
    expect(r.problems).toEqual([expect.objectContaining({ file: 'site.yaml', field: 'visibility', reason: expect.stringContaining('must be one of public, private') })]);
    expect(r.problems[0]!.reason).toContain('the site is private');
  });
  it('keeps a private site private, with no links, when allowed_domains is bad', () => {
    for (const private_access of [{ allowed_domains: ['@example.com'] }, { allowed_domains: 'example.com' }, { domains: ['example.com'] }, 'example.com']) {
      const r = access({ visibility: 'private', private_access });
      expect(r.site, JSON.stringify(private_access)).toEqual({ privateAccess: { allowedDomains: [] } });
      expect(r.problems[0]!.field).toMatch(/^private_access/);
    }
  });
  it('reports a bad private_access on a public site without closing it', () => {
    const r = access({ visibility: 'public', private_access: { allowed_domains: ['not a domain'] } });
    expect(r.site).toEqual({});
    expect(r.problems).toEqual([expect.objectContaining({ field: 'private_access.allowed_domains.0' })]);
  });
});

describe('a site.yaml that cannot be read as a whole', () => {
  it('asks for private when its text names any visibility but public', () => {
    expect(textAsksPrivate('name: x\nvisibility: private\n')).toBe(true);
    expect(textAsksPrivate('visibility: "privat"  # typo\n')).toBe(true);
    expect(textAsksPrivate('visibility: public # yes\n')).toBe(false);
    expect(textAsksPrivate('name: x\n')).toBe(false);
  });
  it('marks the parse failure so the store closes the site', () => {
    const r = parseContentFile('site.yaml', 'name: [unclosed\nvisibility: private\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.asksPrivate).toBe(true);
  });
  it('builds a private snapshot from a good file', () => {
    const parsed = parseContentFile('site.yaml', 'name: Acme\nurl: https://status.acme.test\nvisibility: private\nprivate_access: { allowed_domains: [acme.test] }\n');
    expect(parsed.ok).toBe(true);
    const problems: ContentProblem[] = [];
    const snap = buildSnapshot(parsed.ok ? [parsed.parsed] : [], problems);
    expect(snap.site.privateAccess).toEqual({ allowedDomains: ['acme.test'] });
    expect(problems).toEqual([]);
  });
});

describe('the content store', () => {
  it('closes a public site whose site.yaml turns private but unreadable, and opens it again when fixed', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { openContentStore } = await import('../../../../src/lib/server/content/content-store.ts');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-access-'));
    try {
      fs.writeFileSync(path.join(dir, 'site.yaml'), 'name: Acme\nurl: https://status.acme.test\n');
      const store = openContentStore(dir, { watch: false, log: () => {} });
      expect(store.current().snapshot.site.privateAccess).toBeUndefined();
      // A bad name makes the whole file unreadable: the last good copy said public, the file now says private.
      fs.writeFileSync(path.join(dir, 'site.yaml'), 'name: ""\nurl: https://status.acme.test\nvisibility: private\nprivate_access: { allowed_domains: [acme.test] }\n');
      const closed = store.refresh();
      expect(closed.snapshot.site.privateAccess).toEqual({ allowedDomains: [] });
      expect(closed.problems).toContainEqual(expect.objectContaining({ file: 'site.yaml', field: 'visibility' }));
      fs.writeFileSync(path.join(dir, 'site.yaml'), 'name: Acme\nurl: https://status.acme.test\n');
      expect(store.refresh().snapshot.site.privateAccess).toBeUndefined();
      store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
