import 'reflect-metadata';
import { bootstrapOrExit } from '@ahe/platform';
import { AppModule, rolesFor } from './app.module';

void bootstrapOrExit({
  name: 'api',
  rootModule: (config) => AppModule.forRoot({ config, roles: rolesFor(config) }),
  onListening: (config, logger) => {
    if (config.apiKeys.length === 0) {
      logger.warn(
        'API_KEYS is empty: the API is OPEN, every route answers without authentication. ' +
          'Set API_KEYS=role:key,… (roles writer, analyst, auditor, admin) before exposing this server.',
      );
    } else {
      const roles = [...new Set(config.apiKeys.map((apiKey) => apiKey.role))].join(', ');
      logger.log(`${config.apiKeys.length} API key(s) configured, for roles ${roles}`);
    }
  },
});
