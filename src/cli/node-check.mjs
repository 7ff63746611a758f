// Runs before every npm script that needs a recent Node: plain JavaScript, so that an old Node reaches it and
// says in one line what is wrong instead of failing on --experimental-strip-types or in a native module.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The lowest version in package.json's engines.node (written ">=X.Y[.Z]"). */
export function requiredNode(enginesNode) {
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(String(enginesNode).trim());
  if (!m) throw new Error(`package.json engines.node must be written ">=X.Y.Z", got ${JSON.stringify(enginesNode)}`);
  return [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0)].join('.');
}

/** True when version `running` (e.g. "22.12.0" or "v22.12.0") is at least `required` ("22.19.0"). */
export function nodeSatisfies(running, required) {
  const a = String(running).replace(/^v/, '').split('.').map(Number);
  const b = String(required).split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const x = a[i] || 0;
    const y = b[i] || 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** The one line printed when the running Node is too old, or null when it is recent enough. */
export function nodeVersionProblem(running, enginesNode) {
  const required = requiredNode(enginesNode);
  if (nodeSatisfies(running, required)) return null;
  return `Kaizen Status needs Node.js ${required} or later, but this is Node.js ${String(running).replace(/^v/, '')}; install Node 24 (see .nvmrc) and run the command again.`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const problem = nodeVersionProblem(process.versions.node, pkg.engines && pkg.engines.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
