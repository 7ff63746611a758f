// npm run export -- DIR: one complete static copy of the public site in DIR (a symlink to DIR.versions/<n>), then exit.
import path from 'node:path';
import { readCacheBridge } from '../lib/server/cache/cache-bridge.ts';
import { parseCacheSettings } from '../lib/server/cache/cache-settings.ts';
import { redactSecrets } from '../lib/server/db/redact-url.ts';
import { parseEnv } from '../lib/server/env.ts';
import { createExporter } from '../lib/server/export/exporter.ts';
import { ExportDirError } from '../lib/server/export/export-swap.ts';
import { loadApp } from './app-handler.ts';
import { EXPORT_REFUSED } from '../lib/status/private-site.ts';

/** A private site is not exported (decision record 020). */
class PrivateExportError extends Error {
  constructor() {
    super(`npm run export: refused: ${EXPORT_REFUSED}.`);
  }
}
import { clientDir, ensureBuild } from './ensure-build.ts';

const dir = process.argv[2] ?? process.env.STATIC_EXPORT_DIR;
if (!dir || dir.startsWith('-')) {
  console.error('Usage: npm run export -- DIR   (or set STATIC_EXPORT_DIR)\nWrites a static copy of the public site: DIR becomes a symlink to DIR.versions/<n>.');
  process.exit(2);
}

let settings;
let cacheControl: string;
try {
  settings = parseEnv();
  cacheControl = parseCacheSettings().PUBLIC_CACHE_CONTROL;
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}

ensureBuild();
const app = await loadApp();
try {
  const exporter = createExporter({
    dir,
    assetsDir: clientDir,
    siteUrl: settings.SITE_URL,
    cacheControl,
    source: {
      render: app.render,
      model: async () => {
        if (readCacheBridge()!.isPrivate()) throw new PrivateExportError();
        return readCacheBridge()!.publicStatusModel();
      },
      dataVersion: () => readCacheBridge()?.dataVersion(Date.now()) ?? null,
    },
  });
  const m = await exporter.run({ full: true });
  const s = m.stats;
  console.log(`Exported ${s.files} files (${(s.bytes / 1e6).toFixed(1)} MB) to ${exporter.layout.dir} → ${path.basename(exporter.layout.versions)}/${s.version} in ${(s.durationMs / 1000).toFixed(1)} s; ${s.written} written, ${s.files - s.written} unchanged (hard links), ${s.removed} removed.`);
  app.close();
  process.exit(0);
} catch (e) {
  console.error(redactSecrets(e instanceof ExportDirError || e instanceof PrivateExportError ? e.message : `export failed: ${e instanceof Error ? e.stack : String(e)}`, settings.DATABASE_URL));
  app.close();
  process.exit(1);
}
