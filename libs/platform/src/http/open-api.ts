import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * OpenAPI of every route the process serves: the UI at /docs, the JSON at /docs-json. Both are
 * served by Fastify directly, so they need no API key.
 */
export function serveOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Account Health Engine API')
    .setDescription(
      'Event-sourced account history, health scores and audit. Errors: { statusCode, error, message, code?, field?, details? }. ' +
        'Writes accept Idempotency-Key (responses kept 24 h) and If-Match: <revision>.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
