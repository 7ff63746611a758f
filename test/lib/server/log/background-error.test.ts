// Errors outside a request: printed with where they happened and their stack, without the database password.
import { describe, expect, it } from 'vitest';
import { formatBackgroundError, logBackgroundError } from '../../../../src/lib/server/log/background-error.ts';

const URL = 'postgres://app:s3cr%2Ft@db.internal:5432/status';

function thrownHere(): Error {
  return new Error('push to mirror failed');
}

describe('logBackgroundError', () => {
  it('prints where and the message on the first line, then the stack frames, as one entry', () => {
    const lines: string[] = [];
    logBackgroundError('static export: push to s3', thrownHere(), (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    const [first, ...frames] = lines[0]!.split('\n');
    expect(first).toBe('static export: push to s3: push to mirror failed');
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((f) => f.startsWith('    at '))).toBe(true);
    expect(frames[0]).toMatch(/thrownHere/);
  });

  it('follows the cause of a wrapped error', () => {
    const text = formatBackgroundError('database: migration failed', new Error('2026_12_10_0001: failed', { cause: new TypeError('x is not a function') }), '');
    expect(text).toMatch(/^database: migration failed: 2026_12_10_0001: failed\n {4}at /);
    expect(text).toMatch(/\n {2}caused by: x is not a function\n {4}at /);
  });

  it('says a thrown non-error as it is, without a stack', () => {
    expect(formatBackgroundError('reminders', 'boom', '')).toBe('reminders: boom');
    expect(formatBackgroundError('reminders', undefined, '')).toBe('reminders: undefined');
  });

  it('removes the database password, as written and decoded, from the message and the stack', () => {
    const e = new Error(`connect to ${URL} failed for app:s3cr/t`);
    const text = formatBackgroundError('jobs', e, URL);
    expect(text).not.toContain('s3cr');
    expect(text).toContain('postgres://app:***@db.internal:5432/status');
  });

  it('reads the password to remove from DATABASE_URL by default', () => {
    const before = process.env.DATABASE_URL;
    process.env.DATABASE_URL = URL;
    try {
      const text = formatBackgroundError('jobs', new Error('password s3cr/t rejected'));
      expect(text.split('\n')[0]).toBe('jobs: password *** rejected');
      expect(text).not.toContain('s3cr');
    } finally {
      if (before === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = before;
    }
  });

  it('gives a database outage (expected, said once by its caller) one line, no stack', () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(formatBackgroundError('email: content notifications', outage, '')).toBe('email: content notifications: connect ECONNREFUSED 127.0.0.1:5432');
  });
});
