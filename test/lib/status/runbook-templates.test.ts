import { describe, expect, it } from 'vitest';
import {
  etaFromMessage,
  findPlaceholders,
  initialMessage,
  messageTemplate,
} from '../../../src/lib/status/runbook-templates.ts';
import type { IncidentStatus } from '../../../src/lib/status/vocabulary.ts';

describe('initialMessage', () => {
  it.each<[string | undefined, string]>([
    [undefined, 'We are investigating reports of [issue].\nUpdates will be provided every 15 minutes.'],
    ['', 'We are investigating reports of [issue].\nUpdates will be provided every 15 minutes.'],
    ['   ', 'We are investigating reports of [issue].\nUpdates will be provided every 15 minutes.'],
    ['elevated API errors', 'We are investigating reports of elevated API errors.\nUpdates will be provided every 15 minutes.'],
    // The template ends the sentence itself, so a full stop typed by the author is not doubled.
    ['slow logins.', 'We are investigating reports of slow logins.\nUpdates will be provided every 15 minutes.'],
    // "$&" is text, not a replacement pattern.
    ['errors costing $& money', 'We are investigating reports of errors costing $& money.\nUpdates will be provided every 15 minutes.'],
  ])('initialMessage(%j)', (issue, expected) => {
    expect(initialMessage(issue)).toBe(expected);
  });
});

describe('messageTemplate', () => {
  it.each<[IncidentStatus, string]>([
    ['investigating', 'We are investigating reports of [issue].\nUpdates will be provided every 15 minutes.'],
    ['identified', 'We have identified the cause as [root cause].\nWorking on mitigation. ETA: [time]'],
    ['monitoring', 'A fix has been applied and we are monitoring the results.\nNext update in 15 minutes.'],
    ['resolved', 'Issue has been resolved. All systems operational.\nPost-mortem will be published within 48 hours.'],
  ])('%s reads the runbook wording', (status, expected) => {
    expect(messageTemplate(status)).toBe(expected);
  });

  it.each<[IncidentStatus, string[]]>([
    ['investigating', ['[issue]']],
    ['identified', ['[root cause]', '[time]']],
    ['monitoring', []],
    ['resolved', []],
  ])('the %s template leaves %j to fill', (status, placeholders) => {
    expect(findPlaceholders(messageTemplate(status))).toEqual(placeholders);
  });
});

describe('findPlaceholders', () => {
  it.each<[string, string, string[]]>([
    // Runbook placeholders
    ['the Initial placeholder', 'We are investigating reports of [issue].', ['[issue]']],
    ['two on one line, in order', 'Cause: [root cause]. ETA: [time]', ['[root cause]', '[time]']],
    ['a post-mortem title', '# Incident Post-Mortem: [Date] - [Title]', ['[Date]', '[Title]']],
    ['the email subject', 'Subject: [P0/P1] Production Incident - Kaizen AI', ['[P0/P1]']],
    ['a long email prompt', "[What happened, what we're doing, next update time]", ["[What happened, what we're doing, next update time]"]],
    ['the same one twice is listed once', '[issue] and again [issue]; then [time]', ['[issue]', '[time]']],
    ['a one-character placeholder in prose', 'Users affected: [X]', ['[X]']],
    ['one after a link on the same line', 'See [docs](https://x.test). ETA: [time]', ['[time]']],
    ['one at the start of a list item', '- [Description]', ['[Description]']],
    ['one with a space before a parenthesis', 'ETA: [time] (approx.)', ['[time]']],
    ['one after an inline code span', 'Ran `kubectl get pods` on [cluster]', ['[cluster]']],
    // Not placeholders
    ['a markdown link', 'See [the dashboard](https://grafana.example.com/kaizen-overview).', []],
    ['an image', '![Error rate graph](/img/errors.png)', []],
    ['a link whose URL has parentheses', '[wiki](https://en.wikipedia.org/wiki/Foo_(bar))', []],
    ['a link whose text has brackets', '[see [this] note](https://x.test)', []],
    ['a reference link and its definition', 'Read [the runbook][rb].\n\n[rb]: https://x.test/runbook', []],
    ['a collapsed reference link', 'Read [runbook][].\n\n[runbook]: https://x.test', []],
    ['a shortcut reference link with a definition', 'Read [runbook].\n\n[Runbook]: https://x.test', []],
    ['unchecked task-list boxes', '- [ ] Fix root cause (owner, deadline)\n- [ ] Update runbook', []],
    ['checked task-list boxes', '- [x] Improve monitoring\n* [X] Add tests\n1. [x] Done', []],
    ['an empty pair of brackets', 'array[] and [ ]', []],
    ['an inline code span', 'Run `kubectl logs [pod-name]` first', []],
    ['a double-backtick code span', 'Use ``a[`i`]`` here', []],
    ['a fenced code block', '```bash\nkubectl rollout undo --to-revision=[revision]\n```', []],
    ['a tilde fence', '~~~\n[not a placeholder]\n~~~', []],
    ['escaped brackets', 'Literally \\[issue\\]', []],
    ['a footnote reference', 'As noted[^1].', []],
    ['text over 60 characters', `[${'a'.repeat(61)}]`, []],
    ['brackets across lines', '[first line\nsecond line]', []],
    ['no brackets at all', 'Issue has been resolved. All systems operational.', []],
  ])('%s', (_name, message, expected) => {
    expect(findPlaceholders(message)).toEqual(expected);
  });

  it('finds a placeholder after a closed fence but not inside it', () => {
    expect(findPlaceholders('```\n[inside]\n```\nETA: [time]')).toEqual(['[time]']);
  });

  it('treats an unclosed fence as code to the end', () => {
    expect(findPlaceholders('[before]\n```\n[after]')).toEqual(['[before]']);
  });

  it('accepts exactly 60 characters', () => {
    const token = `[${'a'.repeat(60)}]`;
    expect(findPlaceholders(`x ${token} y`)).toEqual([token]);
  });

  it('finds every placeholder in the runbook email template', () => {
    const email = [
      'Subject: [P0/P1] Production Incident - Kaizen AI',
      '',
      'Severity: [P0/P1]',
      'Status: [Investigating/Mitigating/Resolved]',
      'Impact: [Description]',
      'ETA: [Time to resolution]',
      '',
      'Details:',
      "[What happened, what we're doing, next update time]",
    ].join('\n');
    expect(findPlaceholders(email)).toEqual([
      '[P0/P1]',
      '[Investigating/Mitigating/Resolved]',
      '[Description]',
      '[Time to resolution]',
      "[What happened, what we're doing, next update time]",
    ]);
  });
});

describe('etaFromMessage', () => {
  it.each<[string, string | null]>([
    ['We have identified the cause as a bad deploy.\nWorking on mitigation. ETA: 14:30 UTC', '14:30 UTC'],
    ['Working on mitigation. ETA:   30 minutes   \nNext line', '30 minutes'],
    ['**ETA:** 15:00 GMT', '15:00 GMT'],
    ['eta: tomorrow morning', 'tomorrow morning'],
    ['Working on mitigation. ETA: [time]', null],
    ['ETA: around [time] today', null],
    ['ETA:', null],
    ['ETA:   \nThe fix is rolling out.', null],
    ['No estimate yet.', null],
    ['Our beta: rollout paused', null],
  ])('%j gives %j', (message, expected) => {
    expect(etaFromMessage(message)).toBe(expected);
  });
});
