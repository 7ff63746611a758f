// Subscribing with an injected clock: double opt-in, one confirmation per 10 minutes, abuse limits, links.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareBatch } from '../../../../src/lib/server/email/delivery.ts';
import { subscribeSchema } from '../../../../src/lib/server/subscribers/subscriber.schemas.ts';
import {
  confirmSubscription, MAX_SUBSCRIBES_PER_IP, requestSubscription, subscriptionByLink, suppressAddresses, unsubscribeByLink,
} from '../../../../src/lib/server/subscribers/subscriber.service.ts';
import { emailTestDb, enqueueIncident, testContext, type EmailTestDb } from '../../../helpers/email-db.ts';

const MIN = 60_000;
const t0 = Date.parse('2026-11-20T10:00:00Z');
let t: EmailTestDb;
beforeEach(async () => { t = await emailTestDb(); });
afterEach(async () => { await t.cleanup(); });

const input = (email: string, extra: Record<string, unknown> = {}) => subscribeSchema(['api', 'dashboard']).parse({ email, ...extra });
const subscribe = (email: string, at: number, ip = '203.0.113.1', extra: Record<string, unknown> = {}) => requestSubscription(t.db, testContext, input(email, extra), ip, at);
const queued = async (): Promise<{ to: string; kind: string }[]> =>
  (await t.db.selectFrom('email_outbox as o').innerJoin('email_message as m', 'm.id', 'o.message_id').select(['o.to_address', 'm.kind']).orderBy('o.created_at').execute())
    .map((r) => ({ to: r.to_address, kind: r.kind }));
const state = async (email: string): Promise<string | undefined> => (await t.db.selectFrom('subscriber').select('state').where('email', '=', email).executeTakeFirst())?.state;

/** Prepares the queued emails as the worker would and returns the token in the first link to `prefix`. */
async function tokenFor(prefix: string, at: number): Promise<string> {
  const batch = await prepareBatch(t.db, 'status@acme.test', at);
  if (!batch || batch === 'skipped') throw new Error('nothing queued');
  return new RegExp(`${prefix}([a-z2-7]+)`).exec(batch.emails[0]!.text)![1]!;
}

describe('requestSubscription', () => {
  it('stores a pending subscriber (lower-cased) and queues one confirmation per 10 minutes', async () => {
    expect(await subscribe('Ann@Example.com', t0)).toEqual({ ok: true });
    expect(await state('ann@example.com')).toBe('pending');
    expect(await subscribe('ann@example.com', t0 + 9 * MIN)).toEqual({ ok: true });
    expect(await queued()).toEqual([{ to: 'ann@example.com', kind: 'confirmation' }]);
    await subscribe('ann@example.com', t0 + 20 * MIN);
    expect(await queued()).toHaveLength(2);
  });

  it('answers a confirmed address the same, emailing it its manage link instead of a new confirmation', async () => {
    await subscribe('ann@example.com', t0);
    const token = await tokenFor('/subscribe/confirm/', t0 + MIN);
    expect(await confirmSubscription(t.db, token, t0 + 2 * MIN)).toBe('confirmed');
    expect(await subscribe('ann@example.com', t0 + 30 * MIN)).toEqual({ ok: true });
    expect((await queued()).map((q) => q.kind)).toEqual(['confirmation', 'already_subscribed']);
    expect(await state('ann@example.com')).toBe('confirmed');
  });

  it('never emails a bounced address again, whatever is asked', async () => {
    await subscribe('ann@example.com', t0);
    await suppressAddresses(t.db, ['ann@example.com'], 'bounced', t0 + MIN);
    expect(await subscribe('ann@example.com', t0 + 30 * MIN)).toEqual({ ok: true });
    expect(await state('ann@example.com')).toBe('bounced');
    expect((await t.db.selectFrom('email_outbox').select(['state', 'reason']).execute())).toEqual([{ state: 'not_sent', reason: 'address bounced: never mailed again' }]);
  });

  it('ignores the honeypot quietly, and an address asked for more than 5 times an hour', async () => {
    expect(await subscribe('bot@example.com', t0, '203.0.113.9', { website: 'https://spam.example' })).toEqual({ ok: true });
    expect(await state('bot@example.com')).toBeUndefined();
    for (let i = 0; i < 5; i++) await subscribe('ann@example.com', t0 + i * MIN, `198.51.100.${i}`);
    await subscribe('ann@example.com', t0 + 15 * MIN, '198.51.100.77');
    expect(await queued()).toHaveLength(1);
    await subscribe('ann@example.com', t0 + 70 * MIN, '198.51.100.77');
    expect(await queued()).toHaveLength(2);
  });

  it(`throttles an IP address after ${MAX_SUBSCRIBES_PER_IP} requests an hour`, async () => {
    for (let i = 0; i < MAX_SUBSCRIBES_PER_IP; i++) expect(await subscribe(`user${i}@example.com`, t0 + i * 1000)).toEqual({ ok: true });
    expect(await subscribe('one-more@example.com', t0 + 30 * MIN)).toEqual({ ok: false, retryAfterSeconds: 3600 });
    expect(await subscribe('one-more@example.com', t0 + 61 * MIN)).toEqual({ ok: true });
  });
});

describe('links', () => {
  it('a confirmation link is valid for 7 days, only while pending', async () => {
    await subscribe('ann@example.com', t0);
    const token = await tokenFor('/subscribe/confirm/', t0);
    expect(await confirmSubscription(t.db, token, t0 + 7 * 24 * 60 * MIN)).toBe('expired');
    expect(await confirmSubscription(t.db, 'a'.repeat(52), t0)).toBe('invalid');
    expect(await confirmSubscription(t.db, token, t0 + 6 * 24 * 60 * MIN)).toBe('confirmed');
    expect(await confirmSubscription(t.db, token, t0 + 6 * 24 * 60 * MIN)).toBe('already');
  });

  it('unsubscribing through any email\'s link withdraws the emails still queued for that address', async () => {
    await subscribe('ann@example.com', t0);
    const token = await tokenFor('/unsubscribe/', t0);
    await confirmSubscription(t.db, token, t0 + MIN);
    await enqueueIncident(t.db, 'incident:x:1', t0 + 2 * MIN);
    expect(await unsubscribeByLink(t.db, token, t0 + 3 * MIN)).toBe(true);
    expect((await subscriptionByLink(t.db, token, t0 + 3 * MIN))?.subscriber.state).toBe('unsubscribed');
    const rows = await t.db.selectFrom('email_outbox').select(['state', 'reason']).where('state', '=', 'not_sent').execute();
    expect(rows).toEqual([{ state: 'not_sent', reason: 'unsubscribed' }]);
    expect(await unsubscribeByLink(t.db, 'b'.repeat(52), t0)).toBe(false);
  });
});
