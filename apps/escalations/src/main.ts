import 'reflect-metadata';
import { bootstrapOrExit } from '@ahe/platform';
import { EscalationsModule } from './escalations.module';

void bootstrapOrExit({
  name: 'escalations',
  rootModule: (config) => EscalationsModule.forRoot(config),
  serverModeOnly: true,
  onListening: (_config, logger) => logger.log('No escalation rule runs in this process yet: it serves health and metrics only'),
});
