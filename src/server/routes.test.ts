import fc from 'fast-check';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from './test-support.ts';

let ts: TestServer;
const routes: RouteOptions[] = [];
let cookies: Record<string, string> = {};

beforeAll(async () => {
  ts = await createTestServer();
  // The route table as registered (collected through the public printRoutes-independent hook).
  for (const r of (ts.app as unknown as { routesList: RouteOptions[] }).routesList ?? []) routes.push(r);
  cookies = {
    none: '',
    city: await ts.login('city-admin'),
    staff: await ts.login('staff-health-wuhua'),
    auditor: await ts.login('auditor'),
  };
}, 120_000);

afterAll(async () => {
  expect(ts.leaks).toEqual([]);
  await ts.close();
});

function apiRoutes() {
  return routes
    .filter((r) => String(r.url).startsWith('/api/v1') || r.url === '/api/health')
    .filter((r) => r.method !== 'HEAD');
}

describe('route table', () => {
  it('has routes', () => {
    expect(apiRoutes().length).toBeGreaterThan(10);
  });
  it('every API route declares its access, response schema and (for writes) body schema', () => {
    const missing: string[] = [];
    for (const r of apiRoutes()) {
      const id = `${r.method} ${r.url}`;
      if (!r.config || !(r.config as { access?: string }).access) missing.push(`${id}: access`);
      if (!r.schema?.response) missing.push(`${id}: response schema`);
      const method = String(r.method);
      if (
        ['POST', 'PUT', 'PATCH'].includes(method) &&
        !r.schema?.body &&
        !String(r.url).endsWith('/logout') &&
        !String(r.url).endsWith('/verify')
      ) {
        missing.push(`${id}: body schema`);
      }
      if (String(r.url).includes(':') && !r.schema?.params) missing.push(`${id}: params schema`);
    }
    expect(missing).toEqual([]);
  });
});

describe('HTTP behaviour', () => {
  it('serves the OpenAPI document and docs', async () => {
    const doc = await ts.request({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toContain('/api/v1/childcare/slot-targets');
    expect((await ts.request({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
  });
  it('reports the database in /api/health', async () => {
    const r = await ts.request({ method: 'GET', url: '/api/health' });
    expect(r.json()).toMatchObject({ status: 'ok', database: { ok: true } });
  });
  it('sends security headers', async () => {
    const r = await ts.request({ method: 'GET', url: '/api/health' });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['strict-transport-security']).toBeDefined();
    expect(r.headers['x-request-id']).toBeDefined();
  });
  it('answers an unknown API path with a problem document', async () => {
    const r = await ts.request({ method: 'GET', url: '/api/v1/nope' });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('request.not_found');
  });
  it('rate-limits sign-in', async () => {
    const limited = await createTestServer({ seedDemo: false });
    limited.deps.config.signInRateLimit = 3;
    // The limit is read when routes register, so build a fresh app with the low limit.
    const { buildApp } = await import('./app.ts');
    const { createLogger } = await import('./logger.ts');
    const app = await buildApp({ deps: { ...limited.deps }, logger: createLogger('silent') });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (
          await app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'x', password: 'y' },
          })
        ).statusCode,
      );
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes[4]).toBe(429);
    await app.close();
    await limited.close();
  });
});

const hostile = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant('{"unterminated'),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything(), { maxKeys: 4 }),
  fc.record(
    {
      username: fc.anything(),
      password: fc.anything(),
      totp: fc.anything(),
      idNumber: fc.anything(),
      code: fc.anything(),
      reason: fc.anything(),
    },
    { requiredKeys: [] },
  ),
);
const hostileSegment = fc.oneof(
  fc.constant('0'),
  fc.constant('-1'),
  fc.constant('1e309'),
  fc.constant('%00'),
  fc.constant('99999999999999999999'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.constant('1'),
);
const hostileQuery = fc.dictionary(
  fc.constantFrom('limit', 'name', 'idNumber', 'areaCode', 'beforeId', 'action', 'x'),
  fc.oneof(fc.string({ maxLength: 20 }), fc.constant('-5'), fc.constant('1e9')),
  { maxKeys: 3 },
);

describe('record ids in paths', () => {
  it('refuses ids that coerce to Infinity or beyond 2^53 with 400, on every route that takes one', async () => {
    for (const r of apiRoutes().filter((x) => String(x.url).includes(':id'))) {
      for (const bad of ['1e309', '99999999999999999999', '0', '-1']) {
        const method = (Array.isArray(r.method) ? r.method[0] : r.method) as 'GET';
        const res = await ts.app.inject({
          method,
          url: String(r.url).replace(':id', bad),
          headers: { cookie: cookies.city },
        });
        expect(res.statusCode, `${method} ${r.url} with ${bad}`).toBeLessThan(500);
      }
    }
  });
});

describe('fuzzing every route with malformed input', () => {
  it('never answers 5xx', async () => {
    const list = apiRoutes();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(list.length - 1),
        hostile,
        hostileSegment,
        hostileQuery,
        fc.constantFrom('none', 'city', 'staff', 'auditor'),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (ri, body, seg, query, who, type) => {
          const r = list[ri];
          const url =
            String(r.url).replace(/:[a-zA-Z]+/g, seg) +
            (Object.keys(query).length ? `?${new URLSearchParams(query as Record<string, string>)}` : '');
          const method = (Array.isArray(r.method) ? r.method[0] : r.method) as string;
          const payload =
            body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
          const res = await ts.app.inject({
            method: method as 'GET',
            url,
            payload: method === 'GET' || method === 'DELETE' ? undefined : payload,
            headers: { 'content-type': type, ...(cookies[who] ? { cookie: cookies[who] } : {}) },
          });
          if (res.statusCode >= 500) throw new Error(`${method} ${url} → ${res.statusCode}: ${res.body}`);
          if (res.statusCode >= 400)
            expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        },
      ),
      { seed: 4242, numRuns: 600 },
    );
  }, 120_000);
});
