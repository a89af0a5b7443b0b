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
