import { Type } from 'typebox';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();

export const RegistrySearch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    idNumber: Type.Optional(Type.String({ minLength: 15, maxLength: 18 })),
    idNumberMasked: Type.Optional(
      Type.String({ pattern: '^[0-9]{4}\\*{10}[0-9]{3}[0-9Xx]$', description: 'e.g. 5301**********123X' }),
    ),
    areaCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3})?$' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export const PersonSummary = Type.Object({
  id: Type.Integer(),
  idNumberMasked: Str,
  name: Str,
  sex: Str,
  birthDate: Str,
  areaCode: Str,
  streetCode: Nullable(Str),
  hukouAreaCode: Nullable(Str),
  deathDate: Nullable(Str),
  residenceStatus: Nullable(Str),
});

const Source = Type.Object({
  source: Str,
  feed: Str,
  recordId: Str,
  updatedAt: Str,
  importId: Type.Integer(),
});

export const PersonPage = Type.Object({
  person: Type.Object({
    ...PersonSummary.properties,
    phoneMasked: Nullable(Str),
    address: Nullable(Str),
    householdNo: Nullable(Str),
  }),
  fields: Type.Array(Type.Object({ field: Str, value: Nullable(Str), source: Nullable(Source) })),
  relatives: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Str,
      idNumberMasked: Str,
      birthDate: Str,
      relation: Str,
      householdRelation: Nullable(Str),
    }),
  ),
  events: Type.Array(
    Type.Object({
      kind: Str,
      date: Nullable(Str),
      feed: Str,
      recordId: Str,
      role: Str,
      details: Type.Record(Str, Nullable(Str)),
    }),
  ),
  history: Type.Array(
    Type.Object({
      field: Str,
      oldValue: Nullable(Str),
      newValue: Nullable(Str),
      oldSource: Nullable(Str),
      source: Str,
      feed: Str,
      recordId: Str,
      recordUpdatedAt: Str,
      changedAt: Str,
    }),
  ),
  conflicts: Type.Array(
    Type.Object({
      id: Type.Integer(),
      field: Str,
      currentValue: Nullable(Str),
      currentSource: Nullable(Str),
      offeredValue: Nullable(Str),
      source: Str,
      feed: Str,
      recordId: Str,
      status: Str,
    }),
  ),
  records: Type.Array(
    Type.Object({ feed: Str, source: Str, recordId: Str, updatedAt: Str, linkMethod: Nullable(Str) }),
  ),
});

export const ReviewsQuery = Type.Object(
  {
    status: Type.Union([Type.Literal('open'), Type.Literal('same'), Type.Literal('different')], {
      default: 'open',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

export const ReviewView = Type.Object({
  id: Type.Integer(),
  feed: Str,
  recordId: Str,
  source: Str,
  areaCode: Str,
  score: Type.Integer(),
  reasons: Type.Array(Str),
  record: Type.Record(Str, Nullable(Str)),
  status: Str,
  createdAt: Str,
  candidate: Type.Object({
    id: Type.Integer(),
    name: Str,
    idNumberMasked: Str,
    birthDate: Str,
    streetCode: Nullable(Str),
  }),
});

export const Decision = Type.Object(
  { decision: Type.Union([Type.Literal('same'), Type.Literal('different')]) },
  { additionalProperties: false },
);

export const QualityQuery = Type.Object(
  {
    source: Type.Optional(Type.String({ pattern: '^[a-z-]{3,40}$' })),
    areaCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3})?$' })),
    limit: Type.Integer({ minimum: 1, maximum: 2000, default: 500 }),
  },
  { additionalProperties: false },
);

const Rate = Nullable(Type.Number());
const QualityRow = Type.Object({
  importId: Type.Integer(),
  feed: Str,
  source: Str,
  areaCode: Str,
  at: Str,
  rows: Type.Integer(),
  completeness: Rate,
  validity: Rate,
  timeliness: Rate,
  linkageRate: Rate,
  openConflicts: Type.Integer(),
});

export const QualityView = Type.Object({ latest: Type.Array(QualityRow), trend: Type.Array(QualityRow) });
