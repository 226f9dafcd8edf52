import { Global, Module } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service';

/** Global: every write route, the import's included, uses the one table. */
@Global()
@Module({ providers: [IdempotencyService], exports: [IdempotencyService] })
export class IdempotencyModule {}
