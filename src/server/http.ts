/** Shared HTTP types and schema helpers for route modules. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import type { SmsGateway } from './auth/sms.ts';
import type { Deps } from './context.ts';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export const SESSION_COOKIE = 'jh_session';

export type ServerDeps = Deps & { config: Config; sms: SmsGateway };

/** `public` or a permission name: every route must declare one (a test enforces it). */
export type RouteAccess = 'public' | 'authenticated' | import('./auth/permissions.ts').Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: import('./context.ts').Actor;
    sessionToken: string | null;
    lang: 'zh-CN' | 'en';
  }
}

const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });

/** The problem+json body, declared on every route's error responses. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    messages: Localized,
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ path: Type.String(), code: Type.String(), message: Localized })),
    ),
  },
  { description: 'RFC 9457 problem details with zh-CN/en messages' },
);

export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
};

export const UserViewSchema = Type.Object({
  id: Type.Integer(),
  displayName: Type.String(),
  role: Type.String(),
  areaCode: Type.Union([Type.String(), Type.Null()]),
  areaName: Type.Union([Type.String(), Type.Null()]),
  departmentCode: Type.Union([Type.String(), Type.Null()]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
  departmentNameEn: Type.Union([Type.String(), Type.Null()]),
  permissions: Type.Array(Type.String()),
});

/**
 * A numeric record id in a path. Declared as a digit string (not an integer) because JSON
 * Schema coercion would turn "1e309" into Infinity; handlers convert with Number().
 */
export const IdParams = Type.Object(
  { id: Type.String({ pattern: '^[1-9][0-9]{0,14}$' }) },
  { additionalProperties: false },
);
