/**
 * Helmet's security headers, computed once. @fastify/helmet calls `helmet(options)` on every
 * request, which parses the CSP directives and rebuilds every middleware each time (about 10% of
 * the server's CPU per calculator answer), and even registered with `global: false` it adds two
 * request hooks. With static options (no directive is a function) the headers do not depend on
 * the request, so they are taken from helmet itself once, at start-up, and `app.ts` sets them
 * with one hook. The test checks them against @fastify/helmet's own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  // A directive given as a function (a nonce, say) depends on the request: refuse.
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (
    directives.some(
      (d) => typeof d === 'function' || (Array.isArray(d) && d.some((v) => typeof v === 'function')),
    )
  )
    throw new Error('helmet options must be static to precompute the headers');
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader() {},
  };
  // Helmet's middleware is synchronous: the headers are all set when it returns.
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}
