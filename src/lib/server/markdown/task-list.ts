// Task lists ("- [ ] …", "- [x] …") say their state in words: a disabled, unlabelled checkbox tells a screen reader nothing.
import type { MarkedExtension } from 'marked';

/** The classes the task-list HTML uses, for the sanitizer's allow-list. */
export const taskListClasses = { span: ['task-state', 'task-open', 'task-done', 'visually-hidden'], li: ['task'] };

/** Renders each task's box as a badge with its state in text ("Open: …", "Done: …"); plain text reads the same. */
export const taskListAsText: MarkedExtension = {
  renderer: {
    checkbox({ checked }): string {
      const [cls, word] = checked ? ['task-done', 'Done'] : ['task-open', 'Open'];
      return `<span class="task-state ${cls}">${word}<span class="visually-hidden">:</span></span> `;
    },
    listitem(item): string | false {
      if (!item.task) return false;
      return `<li class="task">${this.parser.parse(item.tokens)}</li>\n`;
    },
  },
};
