import { Type } from 'typebox';

const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });

export const FeedIdParam = Type.Object(
  { feedId: Type.String({ pattern: '^[a-z][a-z-]{2,60}$' }) },
  { additionalProperties: false },
);

export const UploadQuery = Type.Object(
  {
    feed: Type.String({ pattern: '^[a-z][a-z-]{2,60}$', description: 'feed id, e.g. police-hukou' }),
    fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const ReportSchema = Type.Object(
  {
    accepted: Type.Integer(),
    rejected: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    queuedForReview: Type.Integer(),
    rejectsByReason: Type.Record(Type.String(), Type.Integer()),
    warningsByReason: Type.Optional(Type.Record(Type.String(), Type.Integer())),
    importId: Type.Union([Type.Integer(), Type.Null()]),
    feed: Type.String(),
    source: Type.String(),
    file: Type.String(),
    rows: Type.Integer(),
    linked: Type.Optional(
      Type.Object({
        byIdNumber: Type.Integer(),
        byCertificate: Type.Integer(),
        byMatch: Type.Integer(),
        byReview: Type.Integer(),
        unlinked: Type.Integer(),
      }),
    ),
    personsCreated: Type.Optional(Type.Integer()),
    personsUpdated: Type.Optional(Type.Integer()),
    fieldChanges: Type.Optional(Type.Integer()),
    conflicts: Type.Optional(Type.Integer()),
    durationMs: Type.Optional(Type.Integer()),
    alreadyImported: Type.Optional(Type.Boolean()),
    previousImportId: Type.Optional(Type.Integer()),
  },
  { description: 'Import report' },
);

export const ImportStatus = Type.Object({
  id: Type.Integer({ description: 'the import (job) id' }),
  state: Type.String({ description: 'queued | running | succeeded | refused | failed' }),
  feed: Type.String(),
  source: Type.String(),
  fileName: Type.String(),
  submittedBy: Type.Union([Type.String(), Type.Null()]),
  areaCode: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  progress: Type.Union([
    Type.Object({
      done: Type.Number(),
      total: Type.Optional(Type.Number()),
      message: Type.Optional(Type.String()),
    }),
    Type.Null(),
  ]),
  report: Type.Union([ReportSchema, Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), messages: Localized }), Type.Null()]),
});

export const RejectView = Type.Object({
  line: Type.Integer(),
  recordId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  message: Localized,
  column: Type.Union([Type.String(), Type.Null()]),
  values: Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()])),
});

export const RejectsQuery = Type.Object(
  {
    offset: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

export const FeedView = Type.Object({
  id: Type.String(),
  /** Whether the signed-in user's department may submit this feed. */
  allowed: Type.Boolean(),
  source: Type.String(),
  department: Type.String(),
  title: Type.String(),
  file: Type.String(),
  format: Type.String(),
  encoding: Type.String(),
  dateStyle: Type.String(),
  columns: Type.Array(
    Type.Object({
      header: Type.String(),
      key: Type.String(),
      type: Type.String(),
      nullable: Type.Boolean(),
      description: Type.String(),
    }),
  ),
});
