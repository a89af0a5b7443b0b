import { Type } from 'typebox';
import { FEEDS } from '../../../registry/feeds.ts';
import { maySubmit } from '../../../registry/pipeline.ts';
import { inTransaction } from '../../context.ts';
import { type App, IdParams, ProblemSchema, problemResponses, type ServerDeps } from '../../http.ts';
import { FeedIdParam, FeedView, ImportStatus, RejectsQuery, RejectView, UploadQuery } from './schema.ts';
import * as service from './service.ts';

const UPLOAD_TYPES = [
  'application/octet-stream',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/jsonl',
  'application/x-ndjson',
];

const Binary = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });

export async function importRoutes(parent: App, deps: ServerDeps): Promise<void> {
  // Own scope: the raw-body parsers below apply to these routes only.
  await parent.register(async (scoped) => {
    const app = scoped as App;
    app.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, payload));

    app.get(
      '/imports/feeds',
      {
        config: { access: 'import.run' },
        schema: {
          tags: ['imports'],
          summary: 'The department feeds and their columns / 各部门数据接口及字段',
          response: { 200: Type.Object({ feeds: Type.Array(FeedView) }), ...problemResponses },
        },
      },
      async (req) => ({
        feeds: FEEDS.map((f) => ({
          id: f.id,
          allowed: maySubmit(req.actor, f.source),
          source: f.source,
          department: f.department,
          title: f.title,
          file: f.file,
          format: f.format,
          encoding: f.encoding,
          dateStyle: f.dateStyle,
          columns: f.columns.map((c) => ({ ...c, nullable: Boolean(c.nullable) })),
        })),
      }),
    );

    app.get(
      '/imports/templates/:feedId',
      {
        config: { access: 'import.run' },
        schema: {
          tags: ['imports'],
          summary: "Download a feed's empty template / 下载空白模板",
          params: FeedIdParam,
          response: { 200: Binary, ...problemResponses },
        },
      },
      async (req, reply) => {
        const f = await service.template(req.params.feedId);
        reply
          .type(f.contentType)
          .header('content-disposition', `attachment; filename="${f.fileName}"`)
          .header('cache-control', 'no-store');
        return f.body;
      },
    );

    app.post(
      '/imports',
      {
        config: { access: 'import.run' },
        schema: {
          tags: ['imports'],
          summary:
            'Upload a department file (raw body, e.g. application/octet-stream); the import runs as a job / 上传部门数据文件（后台导入）',
          querystring: UploadQuery,
          // The body is the file itself (a stream, parsed by the content-type parser above).
          body: Type.Unsafe<unknown>({ description: 'the file, as the raw request body' }),
          response: {
            202: Type.Object({ id: Type.Integer(), created: Type.Boolean(), statusUrl: Type.String() }),
            ...problemResponses,
            413: ProblemSchema,
            422: ProblemSchema,
          },
        },
      },
      async (req, reply) => {
        const job = await service.submit(deps, req.actor, req.id, req.query, req.body);
        reply.status(202);
        return { ...job, statusUrl: `/api/v1/imports/${job.id}` };
      },
    );

    app.get(
      '/imports',
      {
        config: { access: 'import.run' },
        schema: {
          tags: ['imports'],
          summary: 'Recent imports in your area / 本辖区导入记录',
          querystring: Type.Object(
            { limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ imports: Type.Array(ImportStatus) }), ...problemResponses },
        },
      },
      async (req) => ({
        imports: await inTransaction(deps, req.actor, req.id, (ctx) => service.list(ctx, req.query.limit)),
      }),
    );

    app.get(
      '/imports/:id',
      {
        config: { access: 'import.run' },
        schema: {
          tags: ['imports'],
          summary: 'Progress and report of an import / 导入进度与结果',
          params: IdParams,
          response: { 200: ImportStatus, ...problemResponses },
        },
      },
      async (req) =>
        inTransaction(deps, req.actor, req.id, (ctx) => service.status(ctx, Number(req.params.id))),
    );

    app.get(
      '/imports/:id/rejects',
      {
        config: { access: 'import.run' },
        schema: {
          tags: ['imports'],
          summary: 'Rejected rows with line numbers and reasons / 退回记录（行号与原因）',
          params: IdParams,
          querystring: RejectsQuery,
          response: {
            200: Type.Object({ total: Type.Integer(), rejects: Type.Array(RejectView) }),
            ...problemResponses,
          },
        },
      },
      async (req) =>
        inTransaction(deps, req.actor, req.id, (ctx) =>
          service.rejects(ctx, Number(req.params.id), req.query.offset, req.query.limit),
        ),
    );

    app.get(
      '/imports/:id/rejects.xlsx',
      {
        config: { access: 'import.run' },
        schema: {
          tags: ['imports'],
          summary: 'Rejected rows as an Excel file (ID numbers masked) / 下载退回记录 Excel',
          params: IdParams,
          response: { 200: Binary, ...problemResponses },
        },
      },
      async (req, reply) => {
        const f = await inTransaction(deps, req.actor, req.id, (ctx) =>
          service.rejectsXlsx(ctx, Number(req.params.id)),
        );
        reply
          .type(f.contentType)
          .header('content-disposition', `attachment; filename="${f.fileName}"`)
          .header('cache-control', 'no-store');
        return f.body;
      },
    );

    app.addHook('onClose', async () => {
      const { importJobsIdle } = await import('../../../registry/jobs.ts');
      await importJobsIdle();
    });
  });
}
