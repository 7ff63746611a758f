// Manage API bodies: Statuspage's bracketed form fields and JSON read into the same nested object.
import { describe, expect, it } from 'vitest';
import { BodyError, parseBody, parseBracketForm } from '../../../../../src/lib/server/api/manage/request-body.ts';

describe('parseBracketForm', () => {
  const cases: [string, unknown][] = [
    ['incident[name]=DB+down', { incident: { name: 'DB down' } }],
    ['incident[components][api]=major_outage&incident[components][docs]=operational', { incident: { components: { api: 'major_outage', docs: 'operational' } } }],
    ['incident[component_ids][]=api&incident[component_ids][]=docs', { incident: { component_ids: ['api', 'docs'] } }],
    ['component[status]=partial_outage', { component: { status: 'partial_outage' } }],
    ['incident[deliver_notifications]=false&incident[body]=a%26b', { incident: { deliver_notifications: 'false', body: 'a&b' } }],
    ['', {}],
  ];
  it.each(cases)('%s', (text, expected) => expect(parseBracketForm(text)).toEqual(expected));
  it('refuses a name it cannot read', () => expect(() => parseBracketForm('a]b=1')).toThrow(BodyError));
});

describe('parseBody', () => {
  it('reads JSON by Content-Type', () => expect(parseBody('application/json; charset=utf-8', '{"incident":{"name":"x"}}')).toEqual({ incident: { name: 'x' } }));
  it('reads a form without a Content-Type, as curl -d sends one', () => expect(parseBody(null, 'incident[name]=x')).toEqual({ incident: { name: 'x' } }));
  it.each([
    ['application/json', '{oops', 'not valid JSON'],
    ['application/json', '[1]', 'must be an object'],
    ['text/xml', '<a/>', 'text/xml is not accepted'],
  ])('%s %s is refused', (type, text, message) => expect(() => parseBody(type, text)).toThrow(message));
});
