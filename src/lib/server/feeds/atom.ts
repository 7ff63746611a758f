// Atom 1.0 (RFC 4287) from a collected feed: every text escaped, HTML content carried as escaped text.
import { formatIsoWithOffset } from '../../status/iso-offset.ts';
import type { Feed } from './feed.ts';
import { escapeXml as x } from './xml.ts';

/** The registered media type, so readers and browsers recognise the feed. */
export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

/** Serializes the feed; `selfUrl` is the absolute URL it is served at (rel="self"). */
export function writeAtom(feed: Feed, selfUrl: string): string {
  const time = (at: number): string => formatIsoWithOffset(at, feed.timeZone);
  const entries = feed.entries.map((e) => [
    '  <entry>',
    `    <id>${x(e.id)}</id>`,
    `    <title type="text">${x(e.title)}</title>`,
    `    <link rel="alternate" type="text/html" href="${x(e.url)}"/>`,
    e.relatedUrl ? `    <link rel="related" type="text/html" href="${x(e.relatedUrl)}"/>` : null,
    `    <published>${time(e.at)}</published>`,
    `    <updated>${time(e.at)}</updated>`,
    `    <category term="${x(e.kind)}"/>`,
    `    <content type="html">${x(e.html)}</content>`,
    '  </entry>',
  ].filter((l) => l !== null).join('\n'));
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `  <id>${x(feed.id)}</id>`,
    `  <title type="text">${x(feed.title)}</title>`,
    `  <subtitle type="text">${x(feed.subtitle)}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${x(selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${x(feed.siteUrl)}"/>`,
    `  <updated>${time(feed.updated)}</updated>`,
    `  <author><name>${x(feed.authorName)}</name><uri>${x(feed.siteUrl)}</uri></author>`,
    '  <generator uri="https://github.com/kaizen-status/kaizen-status">Kaizen Status</generator>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
