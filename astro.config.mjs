// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

// Runtime settings (HOST, PORT, SITE_URL, CONTENT_DIR, DATABASE_URL) are read from process.env at start,
// never here: this file is evaluated at build time.
// Behind a TLS proxy the public host must be trusted for X-Forwarded-Host/Proto and the origin check;
// it comes from SITE_URL at build time (npm start rebuilds when SITE_URL changes).
const site = process.env.SITE_URL ? new URL(process.env.SITE_URL) : null;
const allowedDomains = site ? [{ hostname: site.hostname, protocol: site.protocol.replace(':', ''), ...(site.port ? { port: site.port } : {}) }] : [];

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  session: false,
  server: { host: 'localhost', port: 4321 },
  build: { inlineStylesheets: 'never' },
  devToolbar: { enabled: false },
  markdown: { syntaxHighlight: false },
  // Client scripts stay external files (/_astro/*.js) rather than inline, so a static copy caches them.
  vite: { build: { assetsInlineLimit: 0 } },
  security: {
    // Origins are checked in src/middleware.ts for every state change, with the two documented
    // exceptions (RFC 8058 one-click unsubscribe, signed webhooks) that Astro's check cannot make.
    checkOrigin: false,
    allowedDomains,
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ],
    },
  },
});
