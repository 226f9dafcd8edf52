import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { openLoop, OpenLoopPools } from './open-loop';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (server: Server) => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
});

describe('openLoop', () => {
  it('times each request from when it was due, so a delay of the server is in every latency', async () => {
    const seen: string[] = [];
    const { url, server } = await serve((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization}`);
      setTimeout(() => response.end('{}'), 30);
    });
    try {
      const result = await openLoop({ url, rate: 50, durationSeconds: 0.5, requests: [{ method: 'GET', path: '/slow' }], headers: { authorization: 'Bearer k' } });
      expect(result.sent).toBe(25);
      expect(result.failures).toBe(0);
      expect(result.latency.count).toBe(25);
      expect(result.latency.p50).toBeGreaterThanOrEqual(30);
      expect(seen).toEqual(Array.from({ length: 25 }, () => 'GET /slow Bearer k'));
    } finally {
      await close(server);
    }
  });

  it('keeps sending on its timetable while the server stalls: the stall shows as latency, not as fewer requests', async () => {
    // The server answers nothing until it holds 20 requests: a closed loop on fewer connections would never get there.
    const held: ServerResponse[] = [];
    const { url, server } = await serve((_request, response) => {
      if (held.length === 20) return response.end('{}');
      held.push(response);
      if (held.length === 20) for (const waiting of held) waiting.end('{}');
    });
    try {
      const result = await openLoop({ url, rate: 100, durationSeconds: 0.5, requests: [{ method: 'GET', path: '/stall' }], maxConnections: 64 });
      expect(result.sent).toBe(50);
      expect(result.failures).toBe(0);
      expect(result.latency.count).toBe(50);
      // The first request was due at 0 and answered only once the 20th, due at 190 ms, had been sent.
      expect(result.latency.max).toBeGreaterThanOrEqual(190);
    } finally {
      await close(server);
    }
  });

  it('counts its own lateness: a request sent late is timed from when it was due', async () => {
    // The first request blocks this process's event loop (client and server) for 200 ms, so the
    // requests due at 10 … 190 ms leave at 200 ms or later, 10 … 190 ms late.
    let blocked = false;
    const { url, server } = await serve((_request, response) => {
      if (!blocked) {
        blocked = true;
        const until = performance.now() + 200;
        while (performance.now() < until);
      }
      response.end('{}');
    });
    try {
      const result = await openLoop({ url, rate: 100, durationSeconds: 0.3, requests: [{ method: 'GET', path: '/' }] });
      expect(result.sent).toBe(30);
      expect(result.latency.count).toBe(30);
      // 19 of the 30 left at least 190, 180, …, 10 ms late: the 15th smallest lag is at least 40 ms.
      expect(result.sendLag.p50).toBeGreaterThanOrEqual(40);
      // Each latency includes its request's lag, so every rank of the latencies is at least that rank of the lags.
      expect(result.latency.p50).toBeGreaterThanOrEqual(result.sendLag.p50);
      expect(result.latency.max).toBeGreaterThanOrEqual(result.sendLag.max);
    } finally {
      await close(server);
    }
  });

  it('sends POST bodies as JSON and counts a non-2xx answer as a failure, not as a latency', async () => {
    const bodies: string[] = [];
    const { url, server } = await serve((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push(`${request.headers['content-type']} ${body}`);
        response.statusCode = 400;
        response.end();
      });
    });
    try {
      const result = await openLoop({
        url, rate: 40, durationSeconds: 0.5,
        requests: [{ method: 'POST', path: '/bad', body: '{"a":1}' }],
      });
      expect(result.sent).toBe(20);
      expect(result.failures).toBe(20);
      expect(result.latency.count).toBe(0);
      expect(bodies).toHaveLength(20);
      expect(new Set(bodies)).toEqual(new Set(['application/json {"a":1}']));
    } finally {
      await close(server);
    }
  });

  it('keeps its connections from one run to the next when given pools, and opens them afresh each run when not', async () => {
    // Which connection each request came on, by run.
    const ids = new WeakMap<object, number>();
    let opened = 0;
    let runIndex = 0;
    const seen: Set<number>[] = [];
    const { url, server } = await serve((request, response) => {
      (seen[runIndex] ??= new Set()).add(ids.get(request.socket)!);
      response.end('{}');
    });
    server.on('connection', (socket) => ids.set(socket, opened++));
    const pools = new OpenLoopPools();
    try {
      const run = async (kept?: OpenLoopPools) => {
        const result = await openLoop({ url, rate: 100, durationSeconds: 0.3, requests: [{ method: 'GET', path: '/' }], maxConnections: 4 }, kept);
        expect(result.latency.count).toBe(30);
        runIndex++;
      };
      await run(pools);
      await run(pools);
      await run();
      await run();
      const [first, second, third, fourth] = seen as [Set<number>, Set<number>, Set<number>, Set<number>];
      // The second run came on the first run's connections (and on more only if it needed them).
      expect([...second].some((id) => first.has(id))).toBe(true);
      // Without pools, each run has connections of its own.
      for (const [later, earlier] of [[third, [...first, ...second]], [fourth, [...first, ...second, ...third]]] as const) {
        expect([...later].some((id) => earlier.includes(id))).toBe(false);
      }
    } finally {
      await pools.close();
      await close(server);
    }
  });
});
