/**
 * The calculator form's values, the contract's request built from them, and the way back:
 * a JSON pointer in the server's 400 answer → the form field it is about.
 */
import type { EntitlementChildInput, EntitlementInput, EntitlementParentInput } from '../api/types.ts';
import { countyCodeOf } from './area-names.ts';

/** Select value for "outside Kunming" (a free 6-digit code follows). */
export const OUTSIDE = 'outside';
/** Child's hukou select value for "same as the family". */
export const SAME_AS_FAMILY = 'family';

export type ParentValues = {
  present: boolean;
  birthDate?: string;
  employed?: boolean;
  onlyChild?: boolean;
  elderlyParentHospitalized?: boolean;
};

export type ChildValues = {
  birthDate?: string;
  hukouArea?: string;
  hukouOther?: string;
  difficultBirth?: boolean;
  adopted?: boolean;
  birthOrder?: number | null;
};

export type CalcValues = {
  asOf: string;
  hukouArea?: string;
  hukouOther?: string;
  specialFamily?: boolean;
  mother: ParentValues;
  father: ParentValues;
  children: ChildValues[];
  housing: {
    ownsHome?: boolean;
    rents?: boolean;
    contributesToHousingFund?: boolean;
    buyingFirstHome?: boolean;
  };
};

export const PARENT_ROLES = ['mother', 'father'] as const;

export function emptyChild(): ChildValues {
  return { hukouArea: SAME_AS_FAMILY, difficultBirth: false, adopted: false };
}

export function initialValues(asOf: string): CalcValues {
  const parent: ParentValues = {
    present: true,
    employed: false,
    onlyChild: false,
    elderlyParentHospitalized: false,
  };
  return {
    asOf,
    specialFamily: false,
    mother: { ...parent },
    father: { ...parent },
    children: [emptyChild()],
    housing: { ownsHome: false, rents: false, contributesToHousingFund: false, buyingFirstHome: false },
  };
}

function areaCode(select: string | undefined, other: string | undefined): string | undefined {
  if (!select) return undefined;
  if (select === OUTSIDE) return other?.trim() || undefined;
  return countyCodeOf(select);
}

/** Accepts "20190501" or "2019-5-1" as well as "2019-05-01"; returns the text unchanged otherwise. */
export function normalizeDate(text: string | undefined): string | undefined {
  const s = text?.trim();
  if (!s) return undefined;
  const digits = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (digits) return `${digits[1]}-${digits[2]}-${digits[3]}`;
  const loose = /^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$/.exec(s);
  if (loose) return `${loose[1]}-${loose[2].padStart(2, '0')}-${loose[3].padStart(2, '0')}`;
  return s;
}

/** The contract's request from the form (booleans always sent, so a "no" is explicit). */
export function toEntitlementInput(v: CalcValues): EntitlementInput {
  const parents: EntitlementParentInput[] = [];
  for (const role of PARENT_ROLES) {
    const p = v[role];
    if (!p?.present) continue;
    const birthDate = normalizeDate(p.birthDate);
    parents.push({
      role,
      ...(birthDate ? { birthDate } : {}),
      employed: Boolean(p.employed),
      onlyChild: Boolean(p.onlyChild),
      elderlyParentHospitalized: Boolean(p.elderlyParentHospitalized),
    });
  }
  const children = (v.children ?? []).map((c): EntitlementChildInput => {
    const hukou = c.hukouArea === SAME_AS_FAMILY ? undefined : areaCode(c.hukouArea, c.hukouOther);
    return {
      birthDate: normalizeDate(c.birthDate) ?? '',
      ...(hukou ? { hukouArea: hukou } : {}),
      difficultBirth: Boolean(c.difficultBirth),
      adopted: Boolean(c.adopted),
      ...(typeof c.birthOrder === 'number' ? { birthOrder: c.birthOrder } : {}),
    };
  });
  const hukouArea = areaCode(v.hukouArea, v.hukouOther);
  return {
    asOf: normalizeDate(v.asOf) ?? '',
    family: {
      ...(hukouArea ? { hukouArea } : {}),
      specialFamily: Boolean(v.specialFamily),
      parents,
      children,
      housing: {
        ownsHome: Boolean(v.housing?.ownsHome),
        rents: Boolean(v.housing?.rents),
        contributesToHousingFund: Boolean(v.housing?.contributesToHousingFund),
        buyingFirstHome: Boolean(v.housing?.buyingFirstHome),
      },
    },
  };
}

export type FieldPath = (string | number)[];

function unescapeSegment(s: string): string {
  return s.replaceAll('~1', '/').replaceAll('~0', '~');
}

/**
 * The form field a JSON pointer of the request names, or null when it names no single field
 * (then the page lists the message above the form).
 */
export function fieldForPointer(pointer: string, v: CalcValues, input: EntitlementInput): FieldPath | null {
  const seg = pointer.split('/').slice(1).map(unescapeSegment);
  if (seg.length === 1 && seg[0] === 'asOf') return ['asOf'];
  if (seg[0] !== 'family') return null;
  const [, group, index, field] = seg;
  switch (group) {
    case 'hukouArea':
      return seg.length === 2 ? [v.hukouArea === OUTSIDE ? 'hukouOther' : 'hukouArea'] : null;
    case 'specialFamily':
      return ['specialFamily'];
    case 'parents': {
      const role = input.family.parents[Number(index)]?.role;
      if (!role) return null;
      if (!field || field === 'role') return [role, 'birthDate'];
      return [role, field];
    }
    case 'children': {
      const i = Number(index);
      const child = v.children?.[i];
      if (!child || !field) return null;
      if (field === 'hukouArea') {
        if (child.hukouArea === SAME_AS_FAMILY) return [v.hukouArea === OUTSIDE ? 'hukouOther' : 'hukouArea'];
        return ['children', i, child.hukouArea === OUTSIDE ? 'hukouOther' : 'hukouArea'];
      }
      return ['children', i, field];
    }
    case 'housing':
      return index ? ['housing', index] : null;
    default:
      return null;
  }
}
