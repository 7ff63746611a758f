// npm run content:check [dir] — validates every content file; one line per problem; exit 1 on any.
import path from 'node:path';
import { readContent } from '../lib/server/content/content-store.ts';

const dir = process.argv[2] ?? process.env.CONTENT_DIR ?? './content';
const { snapshot, problems } = readContent(path.resolve(dir));
for (const p of problems) console.log(`${path.join(dir, p.file)}: ${p.field || '(file)'}: ${p.reason}`);
if (problems.length > 0) {
  console.log(`\n${problems.length} problem${problems.length === 1 ? '' : 's'} in ${dir}`);
  process.exit(1);
}
console.log(
  `${dir}: OK — ${snapshot.components.length} components, ${snapshot.incidents.length} incidents, ` +
    `${snapshot.maintenance.length} maintenance windows, ${snapshot.postmortems.length} post-mortems`,
);
const unannounced = snapshot.maintenance.filter((m) => m.announcedAt == null).map((m) => m.id);
if (unannounced.length > 0) {
  console.log(`note: no announced: time in ${unannounced.map((id) => `maintenance/${id}.md`).join(', ')}; dated when the site first sees the file`);
}
