// The static mirror's settings: defaults, normalising, and a clear error naming each bad variable.
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../../src/lib/server/env.ts';
import { configuredTargets } from '../../../../src/lib/server/export/mirror-targets.ts';

describe('static mirror settings', () => {
  it('is off by default, adding nothing to the settings', () => {
    expect(Object.keys(parseEnv({})).filter((k) => k.startsWith('STATIC_'))).toEqual([]);
  });

  it('pushes to gh-pages as Kaizen Status unless told otherwise', () => {
    const [git] = configuredTargets(parseEnv({ STATIC_EXPORT_DIR: '/srv/mirror', STATIC_EXPORT_GIT_REMOTE: 'https://user:token@github.com/acme/status.git' }));
    expect(git!.label).toBe('git https://***@github.com/acme/status.git (branch gh-pages)');
  });

  it('keeps the origins of the mirror URLs and normalises the S3 prefix', () => {
    const s = parseEnv({ STATIC_EXPORT_DIR: '/srv/mirror', STATIC_MIRROR_URL: 'https://acme.github.io/status, http://127.0.0.1:8080/', STATIC_EXPORT_S3_BUCKET: 'status-mirror', STATIC_EXPORT_S3_PREFIX: '/site/' });
    expect(s.STATIC_MIRROR_URL).toEqual(['https://acme.github.io', 'http://127.0.0.1:8080']);
    expect(s.STATIC_EXPORT_S3_PREFIX).toBe('site/');
  });

  it.each([
    [{ STATIC_EXPORT_GIT_REMOTE: 'git@github.com:acme/status.git' }, 'STATIC_EXPORT_GIT_REMOTE: needs STATIC_EXPORT_DIR'],
    [{ STATIC_EXPORT_S3_BUCKET: 'status-mirror' }, 'STATIC_EXPORT_S3_BUCKET: needs STATIC_EXPORT_DIR'],
    [{ STATIC_MIRROR_URL: 'mirror.example.com' }, "STATIC_MIRROR_URL: 'mirror.example.com' is not an absolute http(s) URL"],
    [{ STATIC_EXPORT_DIR: '/x', STATIC_EXPORT_GIT_BRANCH: 'gh..pages' }, 'STATIC_EXPORT_GIT_BRANCH: must be a plain branch name'],
    [{ STATIC_EXPORT_DIR: '/x', STATIC_EXPORT_S3_BUCKET: 'Status_Mirror' }, 'STATIC_EXPORT_S3_BUCKET: must be an S3 bucket name'],
    [{ STATIC_EXPORT_DIR: '/x', STATIC_EXPORT_S3_BUCKET: 'status-mirror', STATIC_EXPORT_S3_ENDPOINT: 'localhost:9000' }, 'STATIC_EXPORT_S3_ENDPOINT: must be an absolute http(s) URL'],
    [{ STATIC_EXPORT_DIR: '/x', STATIC_EXPORT_GIT_AUTHOR_EMAIL: 'nobody' }, 'STATIC_EXPORT_GIT_AUTHOR_EMAIL: must be an email address'],
  ])('refuses %j', (source, message) => {
    expect(() => parseEnv(source)).toThrow(message);
  });
});
