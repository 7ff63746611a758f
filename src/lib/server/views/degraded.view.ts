// What pages say while a part is down: the public delay notice and the admin banner, in the site's zone.
import { adminBanner, dataAsOf, delayNotice, unsavedMessage } from '../../status/degraded.ts';
import { contentStore, degradedNow, noticeAfterMs } from '../status-data/runtime.ts';
import type { Locale } from '../../i18n/locales.ts';
import { translate } from '../../i18n/translate.ts';

const siteZone = (): string => contentStore().current().snapshot.site.timezone;

/** The public "updates may be delayed" notice, or null (only after a part has been down a minute). */
export function publicNotice(now: number = Date.now(), locale: Locale = 'en'): string | null {
  const notice = delayNotice(degradedNow(), now, noticeAfterMs());
  return notice !== null && locale !== 'en' ? translate(locale, 'notice.delayed') : notice;
}

/** The admin banner's lines: empty while everything answers. */
export function adminBannerLines(now: number = Date.now()): string[] {
  return adminBanner(degradedNow(), now, siteZone());
}

/** What a form answers when its change could not be saved because the database is unavailable. */
export function unsavedFormMessage(now: number = Date.now()): string {
  return unsavedMessage(degradedNow(), now, siteZone());
}

/** When the served data was last known good: now, or the moment a part went down. */
export function lastGoodAt(now: number = Date.now()): number {
  return dataAsOf(degradedNow(), now);
}
