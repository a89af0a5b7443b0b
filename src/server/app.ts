/**
 * Builds the Fastify application: security headers, request ids, language, sessions and
 * per-route permissions, problem+json errors, OpenAPI at /api/docs, the API under /api/v1 and
 * the web app's static files.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type RouteOptions } from 'fastify';
import type { Logger } from 'pino';
import { resolveSession } from './auth/service.ts';
import { ANONYMOUS } from './context.ts';
import { AppError, pickLang, toProblem } from './errors.ts';
import { type App, SESSION_COOKIE, type ServerDeps } from './http.ts';
import { helmetHeaders } from './security-headers.ts';

export { SESSION_COOKIE };

import { registerModules } from './modules/index.ts';

export type BuildOptions = {
  deps: ServerDeps;
  logger: Logger;
  /** Folder of the built web app (served at /), if present. */
  webDist?: string;
};

function validationIssues(err: FastifyError) {
  const ctx = err.validationContext ?? 'body';
  return (err.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const extra = typeof params.additionalProperty === 'string' ? `/${params.additionalProperty}` : '';
    const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : '';
    const path = `${v.instancePath}${extra}${missing}` || '/';
    const zh =
      v.keyword === 'additionalProperties'
        ? '不允许的字段'
        : v.keyword === 'required'
          ? '缺少必填字段'
          : v.keyword === 'format' || v.keyword === 'pattern'
            ? '格式不正确'
            : v.keyword === 'type'
              ? `类型错误，应为 ${String(params.type)}`
              : `不符合要求（${v.keyword}）`;
    return {
      path: `${ctx === 'body' ? '' : `${ctx}:`}${path}`,
      code: `request.${v.keyword}`,
      message: { 'zh-CN': zh, en: v.message ?? v.keyword },
    };
  });
}

export async function buildApp(opts: BuildOptions): Promise<App> {
  const { deps } = opts;
  const app = Fastify({
    loggerInstance: opts.logger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 2 * 1024 * 1024,
    ajv: {
      customOptions: { removeAdditional: false, allErrors: false, coerceTypes: 'array', useDefaults: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // The route table, kept for the test that walks it (permission and schemas on every route).
  const routesList: RouteOptions[] = [];
  app.addHook('onRoute', (r) => {
    routesList.push(r as RouteOptions);
  });
  app.decorate('routesList', routesList);
  app.decorateRequest('actor', null as never);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('lang', 'zh-CN');

  // Security headers (helmet's), computed once and set on every reply by one hook; see
  // security-headers.ts for why @fastify/helmet is not registered.
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => {
      const e = new AppError('request.too_many');
      (e as unknown as { statusCode: number }).statusCode = ctx.statusCode;
      return e;
    },
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Junheng 均衡 API',
        version: '1.0.0',
        description: '昆明市优化生育政策与人口均衡发展平台 API',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    req.actor = ANONYMOUS;
    req.lang = pickLang(req.headers['accept-language']);
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const actor = await resolveSession(deps, deps.config, token);
      if (actor) {
        req.actor = actor;
        req.sessionToken = token;
      }
    }
  });

  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config.access;
    if (!access || access === 'public') return;
    if (req.actor.userId === null)
      throw new AppError(req.cookies[SESSION_COOKIE] ? 'auth.session_expired' : 'auth.required');
    if (access !== 'authenticated' && !req.actor.permissions.has(access))
      throw new AppError('auth.forbidden');
  });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    let appErr: AppError;
    let status: number;
    if (err instanceof AppError) {
      appErr = err;
      status = (err as unknown as { statusCode?: number }).statusCode ?? err.status;
    } else if ((err as FastifyError).validation) {
      appErr = new AppError('request.invalid', {}, validationIssues(err as FastifyError));
      status = 400;
    } else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
      const sc = (err as FastifyError).statusCode!;
      appErr = new AppError(
        sc === 415
          ? 'request.unsupported_media_type'
          : sc === 413
            ? 'request.too_large'
            : sc === 429
              ? 'request.too_many'
              : 'request.invalid',
        {},
        [
          {
            path: '/',
            code: (err as FastifyError).code ?? 'request.invalid',
            message: { 'zh-CN': '请求无法解析', en: err.message },
          },
        ],
      );
      status = sc;
    } else {
      req.log.error({ err }, 'unhandled error');
      appErr = new AppError('internal.error');
      status = 500;
    }
    reply
      .status(status)
      .type('application/problem+json')
      .send(toProblem(appErr, req.lang, req.id));
  });

  await registerModules(app, deps);

  const webDist = opts.webDist;
  const hasWeb = webDist && existsSync(`${webDist}/index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: 'index.html' });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api') || !hasWeb || req.method !== 'GET') {
      reply
        .status(404)
        .type('application/problem+json')
        .send(toProblem(new AppError('request.not_found'), req.lang, req.id));
      return;
    }
    reply.type('text/html').sendFile('index.html');
  });

  return app;
}
