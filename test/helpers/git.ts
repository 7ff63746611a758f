// A local bare repository as a git remote, and what its branches hold.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BareRepo {
  dir: string;
  /** Files on the branch (empty when it does not exist). */
  files(branch: string): string[];
  show(branch: string, file: string): string;
  log(branch: string): string;
  cleanup(): void;
}

export function bareRepo(): BareRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-remote-'));
  const git = (...args: string[]): string => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '--bare');
  return {
    dir,
    files(branch) {
      try {
        return git('ls-tree', '-r', '--name-only', branch).split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    show: (branch, file) => git('show', `${branch}:${file}`),
    log: (branch) => git('log', '--format=%an <%ae>%n%s%n%b', branch),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
