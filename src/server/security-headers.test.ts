import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { helmetHeaders } from './security-headers.ts';

const options = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
  crossOriginEmbedderPolicy: false,
};

describe('helmetHeaders', () => {
  it("sets exactly the headers @fastify/helmet's per-request hook sets", async () => {
    const app = Fastify();
    await app.register(helmet, options);
    app.get('/', async () => 'ok');
    const r = await app.inject({ url: '/' });
    await app.close();
    const expected = Object.fromEntries(
      Object.entries(r.headers).filter(
        ([k]) => !['content-type', 'content-length', 'date', 'connection'].includes(k),
      ),
    );
    expect(helmetHeaders(options)).toEqual(expected);
    expect(expected['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('refuses options whose headers depend on the request', () => {
    const nonce = () => "'nonce-x'";
    expect(() =>
      helmetHeaders({
        contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: [nonce] } },
      }),
    ).toThrow(/static/);
  });
});
