// Manage API bodies as Statuspage clients send them: JSON, or form-encoded with brackets (incident[components][api]=…).

/** A parsed body: nested objects of strings, arrays and (from JSON) any value. */
export type BodyValue = string | number | boolean | null | BodyValue[] | { [key: string]: BodyValue };
export type Body = { [key: string]: BodyValue };

/** A body that cannot be read; `message` says what is wrong. */
export class BodyError extends Error {}

/** `a[b][c]=v` and `a[b][]=v` into nested objects and arrays; later values for the same name win. */
export function parseBracketForm(text: string): Body {
  const out: Body = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!m) throw new BodyError(`Cannot read the form field name '${name.slice(0, 80)}'`);
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
    let node: Body = out;
    for (let i = 0; i < path.length; i++) {
      const part = path[i]!;
      const last = i === path.length - 1;
      const nextIsList = path[i + 1] === '';
      if (last) {
        node[part] = value;
        break;
      }
      if (nextIsList && i + 1 === path.length - 1) {
        const list = Array.isArray(node[part]) ? (node[part] as BodyValue[]) : [];
        list.push(value);
        node[part] = list;
        break;
      }
      const child = node[part];
      if (child === undefined || typeof child !== 'object' || child === null || Array.isArray(child)) node[part] = {};
      node = node[part] as Body;
    }
  }
  return out;
}

/** Reads JSON or form bodies by Content-Type; an empty body is {}. */
export function parseBody(contentType: string | null, text: string): Body {
  if (text.trim() === '') return {};
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new BodyError('The body is not valid JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BodyError('The JSON body must be an object');
    return value as Body;
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') return parseBracketForm(text);
  throw new BodyError(`Content-Type ${type} is not accepted: send application/json or application/x-www-form-urlencoded`);
}

/** The object under `key` (e.g. body.incident), or {} when absent; anything else is a BodyError. */
export function section(body: Body, key: string): Body {
  const v = body[key];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new BodyError(`'${key}' must be an object`);
  return v as Body;
}
