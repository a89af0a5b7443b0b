import { Type } from 'typebox';
import {
  revokeSession,
  sendCitizenCode,
  signInCitizen,
  signInWithPassword,
  userView,
} from '../../auth/service.ts';
import { inTransaction } from '../../context.ts';
import {
  type App,
  ProblemSchema,
  problemResponses,
  SESSION_COOKIE,
  type ServerDeps,
  UserViewSchema,
} from '../../http.ts';

const UserResponse = Type.Object({ user: UserViewSchema });
const ID_NUMBER = Type.String({
  minLength: 15,
  maxLength: 18,
  description: '公民身份号码 (18 or legacy 15 characters)',
});

export async function authRoutes(app: App, deps: ServerDeps): Promise<void> {
  const signInLimit = { max: deps.config.signInRateLimit, timeWindow: '1 minute' };
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: deps.config.env === 'production',
    maxAge: deps.config.sessionMaxHours * 3600,
  };

  app.post(
    '/auth/login',
    {
      config: { access: 'public', rateLimit: signInLimit },
      schema: {
        tags: ['auth'],
        summary: 'Staff sign-in with password and TOTP / 工作人员登录',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
            totp: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserResponse, ...problemResponses, 423: ProblemSchema },
      },
    },
    async (req, reply) => {
      const r = await signInWithPassword(deps, deps.config, req.body, req.id, req.ip);
      reply.setCookie(SESSION_COOKIE, r.token, cookieOptions);
      return { user: r.user };
    },
  );

  app.post(
    '/auth/citizen/code',
    {
      config: { access: 'public', rateLimit: signInLimit },
      schema: {
        tags: ['auth'],
        summary: 'Send a sign-in code to a citizen by SMS / 发送短信验证码',
        body: Type.Object({ idNumber: ID_NUMBER }, { additionalProperties: false }),
        response: {
          202: Type.Object({ sent: Type.Boolean(), phoneMasked: Type.String() }),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const r = await sendCitizenCode(deps, deps.sms, req.body.idNumber, req.id);
      return reply.status(202).send({ sent: true, phoneMasked: r.phoneMasked });
    },
  );

  app.post(
    '/auth/citizen/login',
    {
      config: { access: 'public', rateLimit: signInLimit },
      schema: {
        tags: ['auth'],
        summary: 'Citizen sign-in with ID number and SMS code / 群众登录',
        body: Type.Object(
          { idNumber: ID_NUMBER, code: Type.String({ pattern: '^\\d{6}$' }) },
          { additionalProperties: false },
        ),
        response: { 200: UserResponse, ...problemResponses },
      },
    },
    async (req, reply) => {
      const r = await signInCitizen(deps, deps.config, req.body, req.id, req.ip);
      reply.setCookie(SESSION_COOKIE, r.token, cookieOptions);
      return { user: r.user };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out (revokes the session) / 退出登录',
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (req, reply) => {
      const token = req.sessionToken;
      if (token) await inTransaction(deps, req.actor, req.id, (ctx) => revokeSession(ctx, token));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user / 当前用户',
        response: { 200: UserResponse, ...problemResponses },
      },
    },
    async (req) => {
      const user = await userView(deps.db.kysely, req.actor.userId!);
      return { user };
    },
  );
}
