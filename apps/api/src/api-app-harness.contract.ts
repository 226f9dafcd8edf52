import { setTimeout as sleep } from 'node:timers/promises';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CorrelationId, createHttpApp, currentCorrelationId, loadConfig } from '@ahe/platform';
import { AppModule, rolesFor } from './app.module';

type LogLine = Record<string, unknown> & { msg?: string; level?: string; correlationId?: string };

/** Routes the platform has no use for yet (a command with a body, a failure, a slow call). */
@Controller('probe')
class ProbeController {
  @Post('echo')
  async echo(@Body() body: unknown, @CorrelationId() fromRequest: string) {
    await sleep(5); // the id must survive an await, as a command's does
    return { body, fromRequest, current: currentCorrelationId() };
  }

  @Get('boom')
  boom(): never {
    throw new TypeError('probe failure with internals');
  }

  @Get('slow')
  async slow() {
    await sleep(400);
    return { done: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

/**
 * The api app on the embedded store (in memory) with the probe routes, listening for one
 * describe block, its log lines kept. Closed after the block unless a test marked it closed.
 */
export function apiAppHarness() {
  const logs: LogLine[] = [];
  const logStream = { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) };
  const harness = { app: undefined as unknown as NestFastifyApplication, url: '', logs, closed: false, logLineOf };

  async function logLineOf(correlationId: string, msg: RegExp): Promise<LogLine> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const line = logs.find((entry) => entry.correlationId === correlationId && msg.test(String(entry.msg)));
      if (line) return line;
      await sleep(10); // pino-http writes on the response's 'finish', after the client has it
    }
    throw new Error(`no log line for ${correlationId} matching ${msg}`);
  }

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'info' });
    harness.app = await createHttpApp(
      { module: class ApiUnderTest {}, imports: [AppModule.forRoot({ config, roles: rolesFor(config), logStream }), ProbeModule] },
      config,
    );
    await harness.app.listen(0, '127.0.0.1');
    harness.url = await harness.app.getUrl();
  });

  afterAll(async () => {
    if (!harness.closed) await harness.app.close();
  });

  return harness;
}
