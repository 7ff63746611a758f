// Progressive enhancement for every public page (the page reads fine without it):
// - times (<time datetime data-format>) in the reader's own zone, with a switch back to the site's zone that sticks;
// - relative times (<time data-relative> + <span class="rel">) kept current;
// - the page's content refreshed when the data changes: /api/v2/summary.json is polled with its ETag (304: nothing
//   changed, nothing is touched), and on a change the page is fetched and its <main> and <title> swapped in.
import { zoneAbbreviation } from '../lib/status/format.ts';
import { relativeTime } from '../lib/status/relative-time.ts';
import { intlTags, isLocale } from '../lib/i18n/locales.ts';

type Mode = 'reader' | 'site';
const STORAGE_KEY = 'kaizen-status.zone';
const STATUS_URL = '/api/v2/summary.json';

const root = document.documentElement;
const lang = root.lang;
const tag = isLocale(lang) ? intlTags[lang] : lang || 'en-GB';
const siteZone = root.dataset.siteZone ?? 'UTC';
const readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function storedMode(): Mode {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'site' ? 'site' : 'reader';
  } catch {
    return 'reader';
  }
}

function storeMode(mode: Mode): void {
  try {
    localStorage.setItem(STORAGE_KEY, mode);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

let mode: Mode = storedMode();

const formats: Record<string, Intl.DateTimeFormatOptions> = {
  datetime: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  date: { day: 'numeric', month: 'short', year: 'numeric' },
};
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The instant in the reader's zone, as the server writes it in the site's: "20 Nov 2026, 10:05 EST". */
function readerText(instant: number, format: string): string {
  const kind = format in formats ? format : 'datetime';
  let f = formatters.get(kind);
  if (!f) {
    f = new Intl.DateTimeFormat(tag, { ...formats[kind], timeZone: readerZone });
    formatters.set(kind, f);
  }
  const text = f.format(new Date(instant));
  return kind === 'date' ? text : `${text} ${zoneAbbreviation(instant, readerZone)}`;
}

/** Every full instant under `scope` in the chosen zone; the server's site-zone text is kept to switch back. */
function renderTimes(scope: ParentNode): void {
  const useReader = mode === 'reader' && readerZone !== siteZone;
  for (const el of scope.querySelectorAll<HTMLTimeElement>('time[datetime]')) {
    const instant = Date.parse(el.dateTime);
    if (!el.dateTime.includes('T') || Number.isNaN(instant)) continue;
    el.dataset.siteText ??= el.textContent ?? '';
    if (useReader) {
      el.textContent = readerText(instant, el.dataset.format ?? 'datetime');
      el.title = el.dataset.siteText;
    } else {
      el.textContent = el.dataset.siteText;
      el.removeAttribute('title');
    }
  }
}

function renderRelative(scope: ParentNode): void {
  const now = Date.now();
  for (const el of scope.querySelectorAll<HTMLTimeElement>('time[data-relative]')) {
    const rel = el.nextElementSibling;
    const instant = Date.parse(el.dateTime);
    if (rel?.classList.contains('rel') && !Number.isNaN(instant)) rel.textContent = relativeTime(instant, now, tag);
  }
}

const fill = (template: string | undefined, zone: string): string => (template ?? '').replace('{zone}', zone);

/** The footer line: which zone the times are in, and a button for the other one. */
function renderZoneNote(): void {
  const note = document.getElementById('tz-note');
  if (!note || readerZone === siteZone) return;
  const d = note.dataset;
  const showing = mode === 'reader' ? fill(d.readerText, readerZone) : fill(d.siteText, siteZone);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'link-button';
  button.textContent = mode === 'reader' ? fill(d.toSite, siteZone) : fill(d.toReader, readerZone);
  button.addEventListener('click', () => {
    mode = mode === 'reader' ? 'site' : 'reader';
    storeMode(mode);
    renderTimes(document);
    renderZoneNote();
    document.getElementById('tz-note')?.querySelector('button')?.focus();
  });
  note.replaceChildren(`${showing} · `, button);
}

/**
 * What names a <details> across a refresh: its id, else its summary's heading (a group's name; the status word
 * beside it may be what changed), else the summary's text.
 */
function detailsKey(d: HTMLDetailsElement): string {
  const summary = d.querySelector('summary');
  return d.id || (summary?.querySelector('h2, h3, h4, h5, h6') ?? summary)?.textContent?.trim() || '';
}

/** Each <details> as the server sent it, so a refresh carries over only what the reader opened or closed. */
const served = new WeakMap<HTMLDetailsElement, boolean>();
function rememberServed(root: ParentNode): void {
  for (const d of root.querySelectorAll('details')) served.set(d, d.open);
}

async function refreshContent(): Promise<void> {
  const r = await fetch(location.href, { cache: 'no-store', headers: { accept: 'text/html' } });
  if (!r.ok) return;
  const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
  const fresh = doc.querySelector('main');
  const main = document.querySelector('main');
  if (!fresh || !main) return;
  const open = new Map<string, boolean>();
  // A group the reader left alone follows the server (it opens when it gets a problem); one they toggled stays.
  for (const d of main.querySelectorAll('details')) if (served.get(d) !== d.open) open.set(detailsKey(d), d.open);
  const [x, y] = [window.scrollX, window.scrollY];
  const adopted = document.adoptNode(fresh);
  for (const d of adopted.querySelectorAll('details')) {
    const was = open.get(detailsKey(d));
    if (was !== undefined) d.open = was;
  }
  main.replaceWith(adopted);
  rememberServed(adopted);
  document.title = doc.title;
  window.scrollTo(x, y);
  renderTimes(adopted);
  renderRelative(adopted);
  void pointAtLiveSite(adopted);
  // Screen readers hear that the content changed under them (a polite status region in the footer).
  const said = document.getElementById('refresh-note');
  if (said) said.textContent = said.dataset.text ?? '';
}

const live = root.dataset.liveOrigin;
let copyCheck: Promise<boolean> | null = null;

/** True on a static copy of the site: another origin than the live one, where /healthz is not the server's JSON. */
function onStaticCopy(): Promise<boolean> {
  copyCheck ??= (async () => {
    if (!live || location.origin === live) return false;
    try {
      const r = await fetch('/healthz', { cache: 'no-store', headers: { accept: 'application/json' } });
      return !(r.ok && (r.headers.get('content-type') ?? '').includes('json'));
    } catch {
      return true;
    }
  })();
  return copyCheck;
}

/**
 * What only the live site answers, on a static copy: links marked data-live-only (calendar files) point there, and
 * a history filter the copy ignored (hosts drop queries) is said so, with a link to it on the live site.
 */
async function pointAtLiveSite(scope: ParentNode): Promise<void> {
  const links = scope.querySelectorAll<HTMLAnchorElement>('a[data-live-only]');
  const form = scope.querySelector<HTMLFormElement>('form.history-filter');
  if ((links.length === 0 && !form) || !(await onStaticCopy())) return;
  for (const a of links) a.href = `${live}${a.getAttribute('href') ?? '/'}`;
  if (!form || form.querySelector('.filter-live-only')) return;
  const asked = new URLSearchParams(location.search);
  const shown = new FormData(form);
  if (['component', 'month'].every((k) => (asked.get(k) ?? '') === (shown.get(k) ?? ''))) return;
  const note = document.createElement('p');
  note.className = 'filter-live-only delay-notice';
  note.setAttribute('role', 'status');
  const link = document.createElement('a');
  link.href = `${live}${location.pathname}${location.search}`;
  link.textContent = form.dataset.liveOnly ?? '';
  note.append(link);
  form.append(note);
}

let lastSeen: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let checking = false;

/** One look at the status JSON; the first answer is the baseline, a different later one refreshes the page. */
async function check(): Promise<void> {
  if (checking) return;
  checking = true;
  try {
    const r = await fetch(STATUS_URL, { cache: 'no-store', headers: lastSeen?.startsWith('"') || lastSeen?.startsWith('W/') ? { 'If-None-Match': lastSeen } : {} });
    if (r.status === 304 || !r.ok) return;
    // A host that sends no ETag (some static ones): the body itself tells a change.
    const seen = r.headers.get('ETag') ?? (await r.text());
    const first = lastSeen === null;
    if (seen === lastSeen) return;
    lastSeen = seen;
    if (!first) await refreshContent();
  } catch {
    // Offline or the server is restarting: the next look will tell.
  } finally {
    checking = false;
  }
}

function schedule(seconds: number): void {
  clearTimeout(timer);
  if (document.hidden) return;
  timer = setTimeout(() => void check().then(() => schedule(seconds)), seconds * 1000);
}

rememberServed(document);
renderTimes(document);
renderRelative(document);
renderZoneNote();
void pointAtLiveSite(document);
setInterval(() => renderRelative(document), 30_000);

const refreshSeconds = Number(root.dataset.refreshSeconds ?? '0');
if (refreshSeconds > 0) {
  void check().then(() => schedule(refreshSeconds));
  // No polling while the tab is hidden; a look at once when it comes back.
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(timer);
    else void check().then(() => schedule(refreshSeconds));
  });
}
