import 'reflect-metadata';
import { bootstrapOrExit } from '@ahe/platform';
import { EscalationsModule } from './escalations.module';

void bootstrapOrExit({
  name: 'escalations',
  rootModule: (config) => EscalationsModule.forRoot(config),
  serverModeOnly: true,
  onListening: (config, logger) => {
    if (!config.redisUrl) logger.warn('REDIS_URL is not set: escalation jobs run in this process, queued in PostgreSQL; set REDIS_URL to run them on BullMQ');
  },
});
