// Who would be emailed: the count admin shows before and after a post, on a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countRecipients } from '../../../../src/lib/server/email/outbox.ts';
import { emailTestDb, seedSubscribers, type EmailTestDb } from '../../../helpers/email-db.ts';

let t: EmailTestDb;
beforeEach(async () => { t = await emailTestDb(); });
afterEach(async () => { await t.cleanup(); });

describe('countRecipients', () => {
  it('counts confirmed subscribers of every component and of any affected one, nobody else', async () => {
    await seedSubscribers(t.db, 3, { prefix: 'all' });
    await seedSubscribers(t.db, 2, { prefix: 'api', components: ['api'] });
    await seedSubscribers(t.db, 4, { prefix: 'dash', components: ['dashboard'] });
    await seedSubscribers(t.db, 5, { prefix: 'pending', state: 'pending' });
    await seedSubscribers(t.db, 1, { prefix: 'gone', state: 'unsubscribed' });
    expect(await countRecipients(t.db, ['api'])).toBe(5);
    expect(await countRecipients(t.db, ['api', 'dashboard'])).toBe(9);
    expect(await countRecipients(t.db, [])).toBe(3);
  });
});
