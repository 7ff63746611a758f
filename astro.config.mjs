// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

// Runtime settings (HOST, PORT, SITE_URL, CONTENT_DIR, DATABASE_URL) are read from process.env at start,
// never here: this file is evaluated at build time.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  session: false,
  server: { host: 'localhost', port: 4321 },
  build: { inlineStylesheets: 'never' },
  devToolbar: { enabled: false },
  markdown: { syntaxHighlight: false },
  security: {
    checkOrigin: true,
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
