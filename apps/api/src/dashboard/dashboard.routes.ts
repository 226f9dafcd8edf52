import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { contentSecurityPolicyOf } from './content-security-policy';
import type { VendorAsset, VendorAssets } from './vendor-assets';

interface WildcardParams {
  readonly '*': string;
}

export interface DashboardRoutesOptions {
  /** apps/dashboard: index.html and src/. */
  readonly folder: string;
  readonly vendor: VendorAssets;
}

/** What may be served from apps/dashboard/src: scripts, styles and images, no dot files. */
const APP_FILE = /^(?:[\w-]+\/)*[\w-][\w.-]*\.(?:js|css|svg|png)$/;
/** A page load is a dozen files: they must not use up the key's or the address's rate limit. */
const STATIC_ROUTE: RouteShorthandOptions = { config: { rateLimit: false } };
const VENDOR_CACHE = 'public, max-age=86400';
// The page's own files change with every deploy and during development: always revalidate.
const APP_CACHE = 'no-cache';

/**
 * The dashboard's static files, served by Fastify directly: they need no key (the data
 * routes do). `/` is the page, `/assets/app/**` its modules, `/assets/vendor/**` the libraries.
 */
export async function dashboardRoutes(scope: FastifyInstance, { folder, vendor }: DashboardRoutesOptions): Promise<void> {
  const appRoot = join(folder, 'src');
  await scope.register(fastifyStatic, { root: appRoot, serve: false });

  scope.get('/', STATIC_ROUTE, async (_request, reply) => {
    // Read on each request (1 kB): the page and its policy change together, also while developing.
    const page = await readFile(join(folder, 'index.html'), 'utf8');
    return reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', APP_CACHE)
      .header('Content-Security-Policy', contentSecurityPolicyOf(page))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      .send(page);
  });

  scope.get<{ Params: WildcardParams }>('/assets/app/*', STATIC_ROUTE, (request, reply) => {
    const path = request.params['*'];
    if (!APP_FILE.test(path)) return reply.callNotFound();
    return reply
      .header('Cache-Control', APP_CACHE)
      .header('X-Content-Type-Options', 'nosniff')
      .sendFile(path, appRoot, { cacheControl: false, dotfiles: 'deny' });
  });

  scope.get<{ Params: WildcardParams }>('/assets/vendor/*', STATIC_ROUTE, async (request, reply) => {
    const loading = vendor.get(request.params['*']);
    if (loading === undefined) return reply.callNotFound();
    return sendVendorAsset(request, reply, await loading);
  });
}

function sendVendorAsset(request: FastifyRequest, reply: FastifyReply, asset: VendorAsset): FastifyReply {
  void reply
    .header('Content-Type', 'text/javascript; charset=utf-8')
    .header('Cache-Control', VENDOR_CACHE)
    .header('ETag', asset.etag)
    .header('Vary', 'Accept-Encoding')
    .header('X-Content-Type-Options', 'nosniff');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
    return reply.header('Content-Encoding', 'gzip').send(asset.gzipped);
  }
  return reply.send(asset.body);
}
