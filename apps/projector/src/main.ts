import 'reflect-metadata';
import { bootstrapOrExit } from '@ahe/platform';
import { ProjectorModule } from './projector.module';

void bootstrapOrExit({
  name: 'projector',
  rootModule: (config) => ProjectorModule.forRoot(config),
  serverModeOnly: true,
});
