import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createHttpApp, loadConfig, PlatformModule } from '@ahe/platform';
import { DashboardModule } from './dashboard.module';

const silent = { write: () => undefined };

/** A data route like any /v1 route: it needs a key and counts against the rate limit. */
@Controller('probe')
class ProbeController {
  @Get()
  probe() {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}
const INDEX_HTML = readFileSync(join(__dirname, '..', '..', '..', 'dashboard', 'index.html'), 'utf8');

describe('DashboardModule: the dashboard page and its files, served by the API process', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    // Keys configured and a tiny rate limit: the static files need neither a key nor a slot.
    const config = loadConfig({ DATA_DIR: ':memory:', API_KEYS: 'analyst:dashboard-spec-key', RATE_LIMIT_PER_MINUTE: '2', LOG_LEVEL: 'warn' });
    app = await createHttpApp(
      { module: class DashboardUnderTest {}, imports: [PlatformModule.forRoot({ app: 'api', config, logStream: silent }), DashboardModule, ProbeModule] },
      config,
    );
    // Fastify loads plugins (the dashboard's routes among them) when it starts listening.
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (path: string) => request(app.getHttpServer()).get(path);

  it('answers / with the page, without a key, under a policy that allows only its own import map inline', async () => {
    const response = await get('/').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toBe(INDEX_HTML);
    expect(response.headers['cache-control']).toBe('no-cache');
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(INDEX_HTML)![1]!;
    const hash = createHash('sha256').update(importMap).digest('base64');
    expect(response.headers['content-security-policy']).toContain(`script-src 'self' 'sha256-${hash}';`);
    expect(response.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('serves the page modules and styles from apps/dashboard/src, revalidated on every load', async () => {
    const script = await get('/assets/app/main.js').expect(200);
    expect(script.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(script.headers['cache-control']).toBe('no-cache');
    expect(script.headers.etag).toEqual(expect.any(String));
    const styles = await get('/assets/app/styles.css').expect(200);
    expect(styles.headers['content-type']).toMatch(/^text\/css/);
    await get('/assets/app/main.js').set('If-None-Match', script.headers.etag!).expect(304);
  });

  it('serves the four browser libraries from node_modules, gzipped when accepted, cached by the browser', async () => {
    for (const path of ['preact/preact.mjs', 'preact/hooks.mjs', 'htm/htm.mjs']) {
      const response = await get(`/assets/vendor/${path}`).expect(200);
      expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(response.text).toMatch(/export\s*(\{|default)/);
    }
    const echarts = await get('/assets/vendor/echarts/echarts.esm.min.mjs').set('Accept-Encoding', 'gzip').expect(200);
    expect(echarts.headers['content-encoding']).toBe('gzip');
    expect(echarts.headers['cache-control']).toBe('public, max-age=86400');
    expect(echarts.text).toContain('registerTheme');
    await get('/assets/vendor/echarts/echarts.esm.min.mjs').set('If-None-Match', echarts.headers.etag!).expect(304);
  });

  it('answers 404 for a missing file, another node_modules file or a path that climbs out of the folder', async () => {
    await get('/assets/app/no-such-page.js').expect(404);
    await get('/assets/app/lib/no-such.css').expect(404);
    await get('/assets/vendor/echarts/echarts.js').expect(404);
    await get('/assets/vendor/preact/package.json').expect(404);
    await get('/assets/app/../../api/src/main.ts').expect(404);
    await get('/assets/app/%2e%2e/index.html').expect(404);
  });

  it('leaves the data routes to the key and the rate limit, and the static files out of both', async () => {
    for (let load = 0; load < 3; load++) await get('/assets/app/main.js').expect(200);
    // The limit is 2 a minute per client: the static files above did not use it up.
    await get('/probe').expect(401);
    await get('/probe').expect(401);
    await get('/probe').expect(429);
    await get('/').expect(200);
    await get('/assets/vendor/preact/preact.mjs').expect(200);
  });
});
