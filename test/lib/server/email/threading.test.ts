// Message-IDs derived from the incident and the site alone, so every instance and restart threads alike.
import { describe, expect, it } from 'vitest';
import { threadHeaders, threadRoot } from '../../../../src/lib/server/email/threading.ts';

describe('threadRoot', () => {
  it.each<[string, 'incident' | 'maintenance', string, string, string]>([
    ['an incident', 'incident', '2026-11-20-api-errors', 'https://status.acme.test', '<incident-2026-11-20-api-errors@status.acme.test>'],
    ['maintenance', 'maintenance', 'db-upgrade', 'https://status.acme.test/', '<maintenance-db-upgrade@status.acme.test>'],
    ['the port is not part of the host', 'incident', 'x', 'http://127.0.0.1:4321', '<incident-x@127.0.0.1>'],
    ['characters outside a dot-atom are escaped', 'incident', 'api outage/ü', 'https://s.test', '<incident-api=20outage=2F=C3=BC@s.test>'],
  ])('%s', (_name, kind, id, base, expected) => {
    expect(threadRoot(kind, id, base)).toBe(expected);
  });

  it('is the same whenever it is computed', () => {
    expect(threadRoot('incident', 'a', 'https://s.test')).toBe(threadRoot('incident', 'a', 'https://s.test'));
    expect(threadRoot('incident', 'a', 'https://s.test')).not.toBe(threadRoot('incident', 'b', 'https://s.test'));
  });
});

describe('threadHeaders', () => {
  const root = '<incident-a@s.test>';
  it('the opening email is the root', () => {
    expect(threadHeaders({ root, opens: true }, 'seed')).toEqual({ 'Message-ID': root });
  });

  it('a later email has its own id, from its seed, and points at the root', () => {
    const h = threadHeaders({ root, opens: false }, 'seed-1');
    expect(h).toEqual({ 'Message-ID': expect.stringMatching(/^<incident-a\.[0-9a-f]{24}@s\.test>$/), 'In-Reply-To': root, References: root });
    expect(threadHeaders({ root, opens: false }, 'seed-1')['Message-ID']).toBe(h['Message-ID']);
    expect(threadHeaders({ root, opens: false }, 'seed-2')['Message-ID']).not.toBe(h['Message-ID']);
    expect(h['Message-ID']).not.toContain('seed');
  });
});
