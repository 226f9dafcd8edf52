import 'reflect-metadata';
import { bootstrapOrExit } from '@ahe/platform';
import { ProjectorModule } from './projector.module';

void bootstrapOrExit({
  name: 'projector',
  rootModule: (config) => ProjectorModule.forRoot(config),
  serverModeOnly: true,
  onListening: (_config, logger) => logger.log('No projection runs in this process yet: it serves health and metrics only'),
});
