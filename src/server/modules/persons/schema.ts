import { Type } from 'typebox';

export const PersonView = Type.Object({
  id: Type.Integer(),
  idNumberMasked: Type.String(),
  name: Type.String(),
  sex: Type.String(),
  birthDate: Type.String(),
  areaCode: Type.String(),
  streetCode: Type.Union([Type.String(), Type.Null()]),
  hukouAreaCode: Type.Union([Type.String(), Type.Null()]),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  deathDate: Type.Union([Type.String(), Type.Null()]),
});

export const MyPerson = Type.Object({
  person: Type.Object({
    idNumberMasked: Type.String(),
    name: Type.String(),
    sex: Type.String(),
    birthDate: Type.String(),
    hukouAreaCode: Type.Union([Type.String(), Type.Null()]),
    hukouAreaName: Type.Union([Type.String(), Type.Null()]),
    children: Type.Array(
      Type.Object({ name: Type.String(), birthDate: Type.String(), idNumberMasked: Type.String() }),
    ),
  }),
});

export const SearchQuery = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    idNumber: Type.Optional(Type.String({ minLength: 15, maxLength: 18 })),
    areaCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3})?$' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);
