// Pushes the copy to a branch of a git remote (GitHub Pages, Cloudflare Pages, Netlify) with Debian's git CLI.
// A working clone of its own is reset to the remote branch, the export mirrored into it (changed files written,
// files of the previous export that are gone deleted, anything else on the branch such as CNAME left alone),
// committed with a message naming what changed, and pushed. The branch is created by the first push.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, type ExportManifest } from '../export-manifest.ts';
import { diffManifests, redactUrl, type MirrorTarget } from './mirror-target.ts';

export interface GitTargetOptions {
  remote: string;
  branch: string;
  authorName: string;
  authorEmail: string;
  /** The working clone's folder, owned by this target. */
  workDir: string;
  timeoutMs?: number;
}

interface GitResult { code: number; stdout: string; stderr: string }

function git(cwd: string, args: string[], signal: AbortSignal, timeoutMs: number): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile('git', args, {
      cwd, signal, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
    }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (error && code === -1 ? error.message : '') });
    });
  });
}

const NOJEKYLL = '.nojekyll';

/** A git branch as a mirror target. */
export function gitTarget(o: GitTargetOptions): MirrorTarget {
  const timeout = o.timeoutMs ?? 120_000;
  const label = `git ${redactUrl(o.remote)} (branch ${o.branch})`;
  return {
    id: 'git',
    label,
    async push(versionDir, manifest, signal) {
      const run = async (args: string[], okCodes = [0]): Promise<GitResult> => {
        const r = await git(o.workDir, args, signal, timeout);
        if (!okCodes.includes(r.code)) {
          const said = (r.stderr || r.stdout).split('\n').map((l) => l.trim()).filter(Boolean).join(' ').slice(0, 600);
          throw new Error(redactUrl(`git ${args[0]}: ${said || `exit code ${r.code}`}`));
        }
        return r;
      };
      fs.mkdirSync(o.workDir, { recursive: true });
      if (!fs.existsSync(path.join(o.workDir, '.git'))) await run(['init', '-q']);
      const url = await git(o.workDir, ['remote', 'get-url', 'origin'], signal, timeout);
      if (url.code !== 0) await run(['remote', 'add', 'origin', o.remote]);
      else if (url.stdout.trim() !== o.remote) await run(['remote', 'set-url', 'origin', o.remote]);
      await run(['symbolic-ref', 'HEAD', `refs/heads/${o.branch}`]);
      const remoteRef = `refs/remotes/origin/${o.branch}`;
      const listed = await run(['ls-remote', '--heads', 'origin', `refs/heads/${o.branch}`]);
      const onRemote = listed.stdout.trim() !== '';
      if (onRemote) {
        await run(['fetch', '-q', '--depth=1', 'origin', `+refs/heads/${o.branch}:${remoteRef}`]);
        await run(['reset', '-q', '--hard', remoteRef]);
        await run(['clean', '-q', '-fd']);
      }
      // What the branch holds: the manifest of the last export pushed to it (absent on a new branch).
      let held: ExportManifest | null = null;
      try {
        held = JSON.parse(fs.readFileSync(path.join(o.workDir, MANIFEST_FILE), 'utf8')) as ExportManifest;
      } catch {
        held = null;
      }
      const { changed, removed } = diffManifests(held, manifest);
      for (const file of removed) fs.rmSync(path.join(o.workDir, file), { force: true });
      for (const file of [...changed, MANIFEST_FILE]) {
        const target = path.join(o.workDir, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(path.join(versionDir, file), target);
      }
      // Files the branch lost by hand are written again too.
      for (const file of Object.keys(manifest.files)) {
        if (!fs.existsSync(path.join(o.workDir, file))) fs.copyFileSync(path.join(versionDir, file), path.join(o.workDir, file));
      }
      fs.writeFileSync(path.join(o.workDir, NOJEKYLL), '');
      await run(['add', '-A']);
      const staged = await run(['diff', '--cached', '--quiet'], [0, 1]);
      let commit = '';
      if (staged.code === 1) {
        const names = [...changed.filter((f) => f !== MANIFEST_FILE), ...removed.map((f) => `${f} (removed)`)];
        const subject = `Status mirror: ${changed.length} changed, ${removed.length} removed (export ${manifest.stats.version})`;
        const body = names.slice(0, 50).join('\n') + (names.length > 50 ? `\n… and ${names.length - 50} more` : '');
        await run(['-c', `user.name=${o.authorName}`, '-c', `user.email=${o.authorEmail}`, 'commit', '-q', '--no-verify', '-m', subject, '-m', body || 'no page changes']);
        commit = (await run(['rev-parse', '--short', 'HEAD'])).stdout.trim();
      }
      const ahead = !onRemote || (await run(['rev-list', '--count', `${remoteRef}..HEAD`])).stdout.trim() !== '0';
      if (!ahead) return `up to date on ${o.branch}`;
      await run(['push', '-q', 'origin', `HEAD:refs/heads/${o.branch}`]);
      return `pushed ${commit || 'HEAD'} to ${o.branch}: ${changed.length} changed, ${removed.length} removed`;
    },
  };
}
