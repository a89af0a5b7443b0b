/**
 * The family entitlement calculator over HTTP (contract: shared/specs/entitlements.md):
 * `POST /api/v1/entitlements`, no sign-in, the same document as `junheng entitlements`.
 * Validation is the rules engine's own, so the field-level reasons equal the CLI's.
 */
import { Type } from 'typebox';
import {
  computeEntitlementsFromText,
  entitlementInputJsonSchema,
  isRulesFault,
  problemErrors,
} from '../../../rules/index.ts';
import { loadParameters } from '../../../rules/load.ts';
import { AppError } from '../../errors.ts';
import { type App, problemResponses, type ServerDeps } from '../../http.ts';
import { entitlementsJson } from './json.ts';

const Localized = { additionalProperties: true } as const;
const EntitlementSchema = Type.Object(
  {
    id: Type.String(),
    subject: Type.String(),
    eligible: Type.Boolean(),
    amountFen: Type.Optional(Type.Integer()),
    days: Type.Optional(Type.Integer()),
    minutesPerDay: Type.Optional(Type.Integer()),
    percent: Type.Optional(Type.Integer()),
    citations: Type.Array(
      Type.Object({ source: Type.String(), clause: Type.String(), text: Type.String() }, Localized),
    ),
    explanation: Type.Array(
      Type.Object(
        { condition: Type.String(), holds: Type.Boolean(), zh: Type.String(), en: Type.String() },
        Localized,
      ),
    ),
  },
  { additionalProperties: true },
);

/**
 * Routes registered in their own scope, for their own body parsing: the body is read as text
 * whatever its content type (curl -d sends application/x-www-form-urlencoded, some clients
 * text/plain or none) and parsed by the rules engine's parser, like the CLI's file, so that an
 * unparsable, empty or BOM-prefixed body gets the CLI's reason instead of Fastify's (415, or 400
 * with path "/"). The HTTP benchmark's control route is registered the same way.
 */
export async function textBodyScope(app: App, register: (scope: App) => void): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    register(scope as App);
  });
}

/** The calculator route's options apart from its schema and answer (also the benchmark's control). */
export function calculatorRouteOptions(publicRateLimit: number) {
  return {
    config: { access: 'public', rateLimit: { max: publicRateLimit, timeWindow: '1 minute' } },
    // A high-volume public route that reads no personal data: log warnings and errors only.
    logLevel: 'warn',
    // The schema documents the input; the rules engine parses and validates it (JSON pointers,
    // zh/en). The body arrives as text (textBodyScope).
    validatorCompiler: () => (data: unknown) => ({ value: data }),
  } as const;
}

export async function entitlementRoutes(app: App, deps: ServerDeps): Promise<void> {
  const params = loadParameters();
  await textBodyScope(app, (scope) => registerRoute(scope, deps, params));
}

function registerRoute(app: App, deps: ServerDeps, params: ReturnType<typeof loadParameters>): void {
  app.post(
    '/entitlements',
    {
      ...calculatorRouteOptions(deps.config.publicRateLimit),
      // The answer is the engine's own document (no personal data, ~45 kB of explanations), sent
      // as bytes by `entitlementsJson` (the same bytes as JSON.stringify). Problems (400) are
      // small: native JSON.stringify, several times faster than the schema serializer.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags: ['entitlements'],
        summary: "A family's entitlements with reasons and clauses / 家庭可享政策计算",
        body: entitlementInputJsonSchema as never,
        response: {
          200: Type.Object({ asOf: Type.String(), entitlements: Type.Array(EntitlementSchema) }),
          400: problemResponses[400],
        },
      },
    },
    async (req, reply) => {
      const r = computeEntitlementsFromText(typeof req.body === 'string' ? req.body : '', params);
      if (!r.ok) {
        if (isRulesFault(r.issues)) {
          // A defect of the rules, not of the input (docs/rules.md): 500, details in the log only.
          req.log.error({ issues: r.issues }, 'entitlements: rules defect');
          throw new AppError('internal.error');
        }
        throw new AppError('entitlements.invalid_input', {}, problemErrors(r.issues));
      }
      return reply.type('application/json; charset=utf-8').send(entitlementsJson(r.value) as never);
    },
  );
}
