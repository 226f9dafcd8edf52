import { createHttpApp, loadConfig } from '@ahe/platform';
import { AppModule } from '../../apps/api/src/app.module';

describe('shutdown of the api process', () => {
  it('closes the event store, then the one SqlClient they share, last', async () => {
    const messages: string[] = [];
    const logStream = { write: (line: string) => void messages.push(String((JSON.parse(line) as { msg?: string }).msg)) };
    const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'info' });
    const app = await createHttpApp(AppModule.forRoot({ config, roles: ['http'], logStream }), config);
    await app.close();
    await new Promise((resolve) => setTimeout(resolve, 50)); // pino writes asynchronously
    const storeClosed = messages.indexOf('Event store closed');
    const databaseClosed = messages.indexOf('Database closed');
    expect(storeClosed).toBeGreaterThanOrEqual(0);
    expect(databaseClosed).toBeGreaterThan(storeClosed);
  });
});
