// A TCP proxy of the test's own between the server and its database, to cut the database without
// touching the machine's shared server: "refuse" closes every connection and refuses new ones, "hang"
// accepts and keeps connections open but passes no byte either way (a black hole), "forward" heals.
import net from 'node:net';

export type ProxyMode = 'forward' | 'refuse' | 'hang';

export interface TcpProxy {
  port: number;
  /** The proxy's address in a connection URL (host:port replaced). */
  url(target: string): string;
  setMode(mode: ProxyMode): Promise<void>;
  connections(): number;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: ProxyMode = 'forward';
  const pairs = new Set<Pair>();
  const held = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;

  const onConnection = (client: net.Socket): void => {
    client.on('error', () => {});
    if (mode === 'hang') {
      // Accepted, never answered: the client waits until its own timeout.
      held.add(client);
      client.on('close', () => held.delete(client));
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = (): Promise<void> => new Promise((resolve, reject) => {
    server = net.createServer(onConnection);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      port = (server!.address() as net.AddressInfo).port;
      resolve();
    });
  });
  const stopListening = (): Promise<void> => new Promise((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server = null;
  });

  await listen();
  return {
    get port() {
      return port;
    },
    url(target) {
      const u = new URL(target);
      u.host = `127.0.0.1:${port}`;
      return u.href;
    },
    async setMode(next) {
      if (next === mode) return;
      const previous = mode;
      mode = next;
      if (next === 'refuse') {
        const closed = stopListening();
        for (const p of pairs) { p.client.destroy(); p.upstream.destroy(); }
        for (const s of held) s.destroy();
        await closed;
      } else if (next === 'hang') {
        if (previous === 'refuse') await listen();
        // Established connections stop passing bytes, as if the network between them went dark.
        for (const p of pairs) { p.client.unpipe(p.upstream); p.upstream.unpipe(p.client); p.client.pause(); p.upstream.pause(); }
      } else {
        if (previous === 'refuse') await listen();
        // Healing a black hole: connections that hung stay dead (their peers gave up on them).
        for (const s of held) s.destroy();
        for (const p of pairs) { if (p.client.isPaused()) { p.client.destroy(); p.upstream.destroy(); } }
      }
    },
    connections: () => pairs.size + held.size,
    async close() {
      const closed = stopListening();
      for (const p of pairs) { p.client.destroy(); p.upstream.destroy(); }
      for (const s of held) s.destroy();
      await closed;
    },
  };
}
