import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server that can go silent: `freeze()` cuts every connection
 * and then accepts new ones without ever answering them (a host that vanished, a proxy whose
 * upstream hangs), `thaw()` forwards again. What a database outage looks like to a client.
 */
export interface FreezableProxy {
  readonly port: number;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

/** A test proxy's sockets still open, so that it can cut them all; one that fails is destroyed, not thrown. */
export class OpenSockets {
  private readonly sockets = new Set<Socket>();

  track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}

export async function freezableProxy(target: { readonly host: string; readonly port: number }): Promise<FreezableProxy> {
  let frozen = false;
  const sockets = new OpenSockets();
  const server: Server = createServer((client) => {
    sockets.track(client);
    if (frozen) return;
    const upstream = connect(target.port, target.host);
    sockets.track(upstream);
    client.pipe(upstream).pipe(client);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    freeze() {
      frozen = true;
      sockets.destroyAll();
    },
    thaw() {
      frozen = false;
      sockets.destroyAll();
    },
    async close() {
      sockets.destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The host and port of `url`'s server, for a proxy to forward to. */
export function serverOf(url: string): { readonly host: string; readonly port: number } {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port || 5432) };
}

/** `url` with its server replaced by a proxy listening on this host at `port`. */
export function throughProxy(url: string, port: number): string {
  const viaProxy = new URL(url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(port);
  return viaProxy.toString();
}
