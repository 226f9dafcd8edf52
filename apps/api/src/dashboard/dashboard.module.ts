import { Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { dashboardFolder, vendorFiles } from './dashboard-files';
import { dashboardRoutes } from './dashboard.routes';
import { VendorAssets } from './vendor-assets';

/**
 * The web dashboard (docs/dashboard.md) at `/`: static files only. Its pages call the public
 * /v1 API with the user's key like any other client, so it adds no route of its own.
 */
@Module({})
export class DashboardModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Dashboard');

  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  // Not onModuleInit: awaiting a Fastify plugin there loads Nest's routes before Nest sets its
  // error handler, and Fastify's own errors (413, 415) would then skip the API's error shape.
  async onApplicationBootstrap(): Promise<void> {
    const fastify = this.host.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify === undefined) return;
    const folder = dashboardFolder();
    await fastify.register(dashboardRoutes, { folder, vendor: new VendorAssets(vendorFiles()) });
    this.logger.log(`Dashboard at / (files from ${folder})`);
  }
}
