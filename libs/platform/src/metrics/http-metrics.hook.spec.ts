import { request as httpRequest } from 'node:http';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import supertest from 'supertest';
import { Public } from '../auth/roles.decorator';
import { loadConfig } from '../config/config.loader';
import { createHttpApp } from '../http/create-http-app';
import { PlatformModule } from '../platform.module';

/** A route that answers only when the test lets it. */
const gate: { entered: () => void; open: () => void } = { entered: () => undefined, open: () => undefined };

@Public()
@Controller('slow')
class SlowController {
  @Get()
  async slow(): Promise<{ ok: true }> {
    await new Promise<void>((resolve) => {
      gate.open = resolve;
      gate.entered();
    });
    return { ok: true };
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (const deadline = Date.now() + 5_000; !check(); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
};

describe('ahe_http_request_duration_seconds for a request the client abandons', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: ':memory:' });
    app = await createHttpApp({ module: class AbortTestApp {}, imports: [PlatformModule.forRoot({ app: 'test', config }), SlowModule] }, config);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  }, 60_000);
  afterAll(() => app?.close());

  it('is timed until the abort as status_code="aborted", and not counted again when the handler ends', async () => {
    let entered = false;
    gate.entered = () => void (entered = true);
    const client = httpRequest(`${url}/slow`);
    client.on('error', () => undefined);
    client.end();
    await until(() => entered, 'the handler to start');
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.destroy();

    const abortedSeries = /^ahe_http_request_duration_seconds_count\{method="GET",route="\/slow",status_code="aborted"\} 1$/m;
    let text = '';
    for (const deadline = Date.now() + 5_000; !abortedSeries.test(text) && Date.now() < deadline; ) {
      text = (await supertest(url).get('/metrics').expect(200)).text;
    }
    expect(text).toMatch(abortedSeries);
    const sum = Number(/^ahe_http_request_duration_seconds_sum\{method="GET",route="\/slow",status_code="aborted"\} (\S+)$/m.exec(text)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(0.05);

    gate.open();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = (await supertest(url).get('/metrics').expect(200)).text;
    expect(after).toMatch(abortedSeries);
    expect(after).not.toMatch(/route="\/slow",status_code="200"/);
  }, 30_000);
});
