import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/**
 * Which proxies' X-Forwarded-For is believed (TRUST_PROXY), with Fastify's trustProxy semantics: off (the
 * default: the connection's address, whatever the header says), a hop count (that many proxies in front),
 * or the proxies' addresses and CIDR ranges (`loopback`, `linklocal`, `uniquelocal` included).
 */
export type TrustProxy = false | number | string[];

/** Whether the address `hop` proxies from the server is a trusted proxy. */
export type TrustFunction = (address: string, hop: number) => boolean;

/** The trust function of a setting; throws (TypeError) on an address or range that is not one. */
export function trustFunction(trust: TrustProxy): TrustFunction {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile(trust);
}

/**
 * The client's address of a raw request (a Socket.IO handshake's): as Fastify's `request.ip` under the
 * same trust, so per-address limits key on the same address over HTTP and sockets.
 */
export function clientAddress(request: IncomingMessage, trust: TrustFunction): string {
  return proxyAddr(request, trust);
}
