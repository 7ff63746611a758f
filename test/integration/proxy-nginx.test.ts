// Debian's nginx in front of the built server with the server blocks of docs/deploy.md (only ports, certificate
// and upstream put in): client addresses, the origin check, Secure cookies and HSTS over real TLS.
import { startNginxWith } from '../helpers/nginx.ts';
import { describeBehindProxy } from '../helpers/proxy-suite.ts';
import { freePort } from '../helpers/server.ts';
import { deployDocBlock, selfSignedCertificate, substitute, type Certificate } from '../helpers/tls-proxy.ts';

describeBehindProxy('nginx', async (publicPort, appPort) => {
  const redirectPort = await freePort();
  let cert: Certificate | undefined;
  const nginx = await startNginxWith((dir) => {
    cert = selfSignedCertificate(dir);
    return substitute(deployDocBlock('nginx'), [
      ['listen 443 ssl http2;', `listen 127.0.0.1:${publicPort} ssl http2;`],
      ['listen 80;', `listen 127.0.0.1:${redirectPort};`],
      ['/etc/letsencrypt/live/status.example.com/fullchain.pem', cert.certFile],
      ['/etc/letsencrypt/live/status.example.com/privkey.pem', cert.keyFile],
      ['proxy_pass http://127.0.0.1:4321;', `proxy_pass http://127.0.0.1:${appPort};`],
    ]);
  }, publicPort);
  return { url: `https://127.0.0.1:${publicPort}`, ca: cert!.pem, redirectPort, stop: nginx.stop };
});
