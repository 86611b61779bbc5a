import { createServer } from 'node:http';
import { readBody, reply } from './http';

/**
 * The HTTP ceiling: a bare node:http server that reads the request's JSON, parses it and answers it back.
 * Whatever a spend costs beyond this is our own work.
 */
const server = createServer(async (req, res) => {
  const text = await readBody(req);
  reply(res, 200, text ? JSON.parse(text) : {});
});
// As the real server (apps/server): idle keep-alive connections are not closed under the load generator.
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
