import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrl } from '../../../../src/lib/server/db/redact-url.ts';

describe('redactUrl', () => {
  it.each([
    ['postgres://app:s3cret@db.internal:5432/status', 'postgres://app:***@db.internal:5432/status'],
    ['postgresql://app:p%40ss%2Fword@host/db?sslmode=require', 'postgresql://app:***@host/db?sslmode=require'],
    ['postgres://app:pa/ss@word@host/db', 'postgres://app:***@host/db'],
    ['postgres://app:@host/db', 'postgres://app:***@host/db'],
    ['postgres://app@host/db', 'postgres://app@host/db'],
    ['postgres://host/db?user=a@b', 'postgres://host/db?user=a@b'],
    ['./data/status.db', './data/status.db'],
    ['file:/var/lib/status.db', 'file:/var/lib/status.db'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('redactSecrets', () => {
  const url = 'postgres://app:p%40ss@host/db';
  it('removes the URL and its password, encoded or not, from a message', () => {
    const message = `connect to ${url} failed; password "p@ss" rejected (p%40ss)`;
    const out = redactSecrets(message, url);
    expect(out).toBe('connect to postgres://app:***@host/db failed; password "***" rejected (***)');
  });

  it('leaves text alone when the URL has no password', () => {
    expect(redactSecrets('database ./data/status.db is locked', './data/status.db')).toBe('database ./data/status.db is locked');
  });
});
