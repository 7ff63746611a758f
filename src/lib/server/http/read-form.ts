// Reading a form post: one reader for every form route, so a malformed body is a 400 naming the problem, never a 500.
export type FormBodyProblem = 'content-type' | 'percent-encoding' | 'utf-8' | 'multipart' | 'unreadable';

/** A form body that cannot be read as a form; the message says what is wrong with it. */
export class FormBodyError extends Error {
  readonly problem: FormBodyProblem;
  constructor(problem: FormBodyProblem, message: string) {
    super(message);
    this.problem = problem;
    this.name = 'FormBodyError';
  }
}

const FORM_TYPES = 'application/x-www-form-urlencoded or multipart/form-data';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One `name=value` half, strictly: every % starts two hex digits and the decoded bytes are UTF-8. */
function decodeComponent(part: string): string {
  const s = part.replace(/\+/g, ' ');
  const bad = /%(?![0-9a-fA-F]{2})/.exec(s);
  if (bad) throw new FormBodyError('percent-encoding', `The form is not valid URL encoding: "${s.slice(bad.index, bad.index + 3)}" is not a percent-escape (% must be followed by two hex digits).`);
  try {
    return decodeURIComponent(s);
  } catch {
    throw new FormBodyError('utf-8', 'The form is not valid UTF-8: a percent-escaped byte sequence is not a character.');
  }
}

function parseUrlEncoded(bytes: Uint8Array<ArrayBuffer>): FormData {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new FormBodyError('utf-8', 'The form is not valid UTF-8.');
  }
  const form = new FormData();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    form.append(decodeComponent(eq === -1 ? pair : pair.slice(0, eq)), eq === -1 ? '' : decodeComponent(pair.slice(eq + 1)));
  }
  return form;
}

async function parseMultipart(contentType: string, bytes: Uint8Array<ArrayBuffer>): Promise<FormData> {
  if (!/;\s*boundary=/i.test(contentType)) throw new FormBodyError('multipart', 'The multipart form has no boundary in its Content-Type.');
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new FormBodyError('multipart', 'The multipart form is malformed: its boundary does not match or it was cut off.');
  }
  // These forms upload no files: a body that is not UTF-8 throughout has a field that is not.
  const hasFile = [...form.values()].some((v) => typeof v !== 'string');
  if (!hasFile) {
    try {
      utf8.decode(bytes);
    } catch {
      throw new FormBodyError('utf-8', 'The multipart form is not valid UTF-8.');
    }
  }
  return form;
}

async function parseForm(request: Request): Promise<FormData> {
  const contentType = request.headers.get('content-type') ?? '';
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await request.arrayBuffer());
  } catch {
    throw new FormBodyError('unreadable', 'The form could not be read: the request body was cut off.');
  }
  // A bare POST (one-click unsubscribe, a button with no fields) is an empty form.
  if (type === '' && bytes.length === 0) return new FormData();
  if (type === 'application/x-www-form-urlencoded') return parseUrlEncoded(bytes);
  if (type === 'multipart/form-data') return parseMultipart(contentType, bytes);
  throw new FormBodyError('content-type', `The form was sent as ${type === '' ? 'no content type' : type}; it must be ${FORM_TYPES}.`);
}

const read = new WeakMap<Request, Promise<FormData>>();

/**
 * The request's form fields, read once per request (the middleware reads it first, the page gets the same result).
 * Rejects with FormBodyError for a body that is not a well-formed form.
 */
export function readForm(request: Request): Promise<FormData> {
  let form = read.get(request);
  if (!form) {
    form = parseForm(request);
    form.catch(() => {});
    read.set(request, form);
  }
  return form;
}

/** The 400 for a malformed form: plain text saying what is wrong. */
export function formBodyErrorResponse(e: FormBodyError): Response {
  return new Response(`Bad request: ${e.message}\n`, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' } });
}
