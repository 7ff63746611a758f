// iCalendar (RFC 5545) text: a VCALENDAR of VEVENTs, lines folded at 75 octets, CRLF, TEXT values escaped.

export interface CalendarEvent {
  /** Globally unique and stable for the event: calendars update the event they already hold by it. */
  uid: string;
  /** When the information was last revised. */
  stamp: number;
  start: number;
  end: number;
  summary: string;
  /** Plain text; newlines allowed. */
  description: string;
  url: string;
  status: 'CONFIRMED' | 'CANCELLED' | 'TENTATIVE';
}

export interface Calendar {
  /** PRODID: who made it. */
  productId: string;
  /** X-WR-CALNAME: the name a subscribing calendar shows. */
  name: string;
  events: CalendarEvent[];
}

export const ICS_CONTENT_TYPE = 'text/calendar; charset=utf-8';

/** A TEXT value: backslash, semicolon, comma and newlines escaped (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** 20261120T100500Z: a DATE-TIME in UTC, to the second. */
export function formatUtc(instant: number): string {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** A content line folded so that no line passes 75 octets, never inside a UTF-8 sequence (§3.1). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    // A continuation line starts with a space, which counts towards its 75.
    const limit = out.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

function eventLines(e: CalendarEvent): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(e.uid)}`,
    `DTSTAMP:${formatUtc(e.stamp)}`,
    `DTSTART:${formatUtc(e.start)}`,
    `DTEND:${formatUtc(e.end)}`,
    `SUMMARY:${escapeText(e.summary)}`,
    `DESCRIPTION:${escapeText(e.description)}`,
    // URI values are not TEXT: no escaping, but a CR/LF must never reach the line.
    `URL:${e.url.replace(/[\r\n]/g, '')}`,
    `STATUS:${e.status}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
  ];
}

/** The whole calendar as an iCalendar object, CRLF line ends, ending with CRLF. */
export function writeCalendar(cal: Calendar): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${escapeText(cal.productId)}`,
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    ...cal.events.flatMap(eventLines),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
