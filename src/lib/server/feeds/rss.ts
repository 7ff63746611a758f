// RSS 2.0 from a collected feed: every text escaped, item descriptions carry HTML as escaped text.
import type { Feed } from './feed.ts';
import { escapeXml as x } from './xml.ts';

/** The media type feed readers expect for RSS. */
export const RSS_CONTENT_TYPE = 'application/rss+xml; charset=utf-8';

/** RFC 822 date, as RSS 2.0 requires ("Sun, 22 Nov 2026 10:05:00 GMT"). */
export function rfc822(at: number): string {
  return new Date(at).toUTCString();
}

/** Serializes the feed; `selfUrl` is the absolute URL it is served at (atom:link rel="self"). */
export function writeRss(feed: Feed, selfUrl: string): string {
  const items = feed.entries.map((e) => [
    '    <item>',
    `      <title>${x(e.title)}</title>`,
    `      <link>${x(e.url)}</link>`,
    `      <guid isPermaLink="false">${x(e.id)}</guid>`,
    `      <pubDate>${rfc822(e.at)}</pubDate>`,
    `      <category>${x(e.kind)}</category>`,
    `      <description>${x(e.html)}</description>`,
    '    </item>',
  ].join('\n'));
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${x(feed.title)}</title>`,
    `    <link>${x(feed.siteUrl)}</link>`,
    `    <description>${x(feed.subtitle)}</description>`,
    '    <language>en</language>',
    `    <lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>`,
    '    <generator>Kaizen Status</generator>',
    `    <atom:link href="${x(selfUrl)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}
