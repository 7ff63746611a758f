import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../../src/lib/server/env.ts';

function errorOf(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return e as EnvError;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(source)}`);
}

describe('parseEnv', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(parseEnv({})).toEqual({ CONTENT_DIR: './content', DATABASE_URL: './data/status.db', HOST: 'localhost', PORT: 4321, RESEND_RATE_LIMIT: 2, DELAY_NOTICE_AFTER_SECONDS: 60, PAGE_REFRESH_SECONDS: 60, MAX_FORM_BYTES: 65536, MAX_WEBHOOK_BYTES: 262144, API_RATE_LIMIT_PER_MINUTE: 120, ALLOW_PRIVATE_WEBHOOKS: false, CHANNEL_RETRY_BASE_MS: 2000, REQUIRE_2FA: false, WEB_CONCURRENCY: 1 });
  });

  it('treats empty and undefined values as unset', () => {
    expect(parseEnv({ PORT: '', HOST: undefined, SITE_URL: '' })).toEqual(parseEnv({}));
  });

  it('reads every setting it is given', () => {
    expect(parseEnv({
      CONTENT_DIR: '/srv/content', DATABASE_URL: '/var/lib/status.db', HOST: '0.0.0.0', PORT: '8080', SITE_URL: 'https://status.example.com', DELAY_NOTICE_AFTER_SECONDS: '0',
      PAGE_REFRESH_SECONDS: '0', MAX_FORM_BYTES: '131072', MAX_WEBHOOK_BYTES: '1048576',
    })).toEqual({
      CONTENT_DIR: '/srv/content', DATABASE_URL: '/var/lib/status.db', HOST: '0.0.0.0', PORT: 8080, SITE_URL: 'https://status.example.com', RESEND_RATE_LIMIT: 2, DELAY_NOTICE_AFTER_SECONDS: 0,
      PAGE_REFRESH_SECONDS: 0, MAX_FORM_BYTES: 131072, MAX_WEBHOOK_BYTES: 1048576, API_RATE_LIMIT_PER_MINUTE: 120, ALLOW_PRIVATE_WEBHOOKS: false, CHANNEL_RETRY_BASE_MS: 2000, REQUIRE_2FA: false, WEB_CONCURRENCY: 1,
    });
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    ['PORT that is not a number', { PORT: 'abc' }, 'PORT', /must be a number/],
    ['DELAY_NOTICE_AFTER_SECONDS that is not whole seconds', { DELAY_NOTICE_AFTER_SECONDS: '1.5' }, 'DELAY_NOTICE_AFTER_SECONDS', /whole number of seconds/],
    ['PAGE_REFRESH_SECONDS that is not whole seconds', { PAGE_REFRESH_SECONDS: '30s' }, 'PAGE_REFRESH_SECONDS', /whole number of seconds/],
    ['WEB_CONCURRENCY that is neither a number of processes nor auto', { WEB_CONCURRENCY: '0' }, 'WEB_CONCURRENCY', /from 1 to 99, or auto/],
    ['ALLOW_PRIVATE_WEBHOOKS that is not 0 or 1', { ALLOW_PRIVATE_WEBHOOKS: 'yes' }, 'ALLOW_PRIVATE_WEBHOOKS', /must be 1/],
    ['REQUIRE_2FA that is not 0 or 1', { REQUIRE_2FA: 'true' }, 'REQUIRE_2FA', /must be 1/],
    ['TEAM_CHANNEL_URL that is not a URL', { TEAM_CHANNEL_URL: 'hooks.slack.com/x' }, 'TEAM_CHANNEL_URL', /incoming webhook URL/],
    ['CHANNEL_RETRY_BASE_MS that is not whole milliseconds', { CHANNEL_RETRY_BASE_MS: '1.5' }, 'CHANNEL_RETRY_BASE_MS', /whole number of milliseconds/],
    ['PORT above 65535', { PORT: '70000' }, 'PORT', /between 0 and 65535/],
    ['negative PORT', { PORT: '-1' }, 'PORT', /between 0 and 65535/],
    ['fractional PORT', { PORT: '80.5' }, 'PORT', /whole number/],
    ['SITE_URL that is not a URL', { SITE_URL: 'not-a-url' }, 'SITE_URL', /absolute URL/],
    ['SITE_URL that is not http(s)', { SITE_URL: 'javascript:alert(1)' }, 'SITE_URL', /http or https/],
    ['MAX_FORM_BYTES that is not a number of bytes', { MAX_FORM_BYTES: '64k' }, 'MAX_FORM_BYTES', /whole number of bytes/],
    ['MAX_WEBHOOK_BYTES below 1024', { MAX_WEBHOOK_BYTES: '100' }, 'MAX_WEBHOOK_BYTES', /at least 1024 bytes/],
    ['DATABASE_URL for MySQL', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /SQLite file path .* or a postgres:\/\/ URL/],
    ['DATABASE_URL with another scheme', { DATABASE_URL: 'sqlite://data.db' }, 'DATABASE_URL', /postgres:\/\//],
    ['blank CONTENT_DIR', { CONTENT_DIR: '   ' }, 'CONTENT_DIR', /.+/],
  ])('rejects %s, naming the variable and the value', (_name, source, variable, reason) => {
    const e = errorOf(source);
    const line = e.message.split('\n').find((l) => l.trim().startsWith(`${variable}:`));
    expect(line, e.message).toBeDefined();
    expect(line).toMatch(reason);
    expect(line).toContain(JSON.stringify(source[variable]));
  });

  it('names every bad variable at once', () => {
    const e = errorOf({ PORT: 'abc', SITE_URL: 'nope', DATABASE_URL: 'mysql://db' });
    for (const v of ['PORT', 'SITE_URL', 'DATABASE_URL']) expect(e.message).toMatch(new RegExp(`^\\s+${v}: `, 'm'));
  });

  it.each([
    ['postgres://user:secret@db.internal:5432/status'],
    ['postgresql://db.internal/status'],
    ['POSTGRES://db/status'],
    ['./data/other.db'],
    ['/var/lib/kaizen/status.db'],
  ])('accepts DATABASE_URL=%s', (url) => {
    expect(parseEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  it.each([['0'], ['1'], ['65535']])('accepts PORT=%s', (port) => {
    expect(parseEnv({ PORT: port }).PORT).toBe(Number(port));
  });
});
