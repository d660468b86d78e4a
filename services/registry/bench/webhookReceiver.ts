/**
 * The local receiver of `pnpm bench:webhooks`, in its own process as a partner's would be: answers
 * 204 to every POST and prints "ready <port>".
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(204).end());
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => console.log(`ready ${(server.address() as AddressInfo).port}`));
