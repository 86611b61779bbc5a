import { createServer, type Server } from 'node:http';
import type { BillingHandler } from '@contox/api';
import { staticSite } from './static-site';

export function createAppServer(billing: BillingHandler): Server {
  const site = staticSite();
  const server = createServer((req, res) => {
    billing(req, res).then((handled) => {
      if (!handled) site(req, res);
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
