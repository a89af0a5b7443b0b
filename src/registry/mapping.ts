/**
 * What each feed's record says about people: the subject (the person the record is about),
 * a second person (the wife of a marriage), parents named on a birth certificate, the life
 * event and the household. Values are already validated and normalised (validate.ts).
 */
import { managementAreaOf } from '../domain/areas.ts';
import type { Facts } from './precedence.ts';
import type { Values } from './validate.ts';

export type PersonRef = {
  /** Normalised 18-character ID number, or null (then linked by certificate or fuzzy match). */
  idNumber: string | null;
  /** Facts about the person (phone is the plain number here; the pipeline encrypts it). */
  facts: Facts;
  /** May a new person be registered from this record when the ID number is unknown? */
  canCreate: boolean;
  /** Birth certificate number linking an infant without an ID number. */
  certificateNo?: string | null;
};

export type EventKind = 'birth' | 'death' | 'marriage' | 'move' | 'special-family';

export type Mapped = {
  subject: PersonRef;
  /** The other spouse of a marriage. */
  partner?: PersonRef;
  motherIdNumber?: string | null;
  fatherIdNumber?: string | null;
  event?: { kind: EventKind; date: string | null; details: Record<string, string | null> };
  household?: { no: string; kind: string | null; streetCode: string | null };
};

const sexFromCode = (v: string | null) => (v === '1' ? 'male' : v === '2' ? 'female' : null);
const sexFromText = (v: string | null) => (v === '男' ? 'male' : v === '女' ? 'female' : null);

function hukouArea(county: string | null, street: string | null): string | null {
  if (street) return street;
  return county;
}

/** Maps one validated record of a feed. */
export function mapRecord(feedId: string, v: Values): Mapped {
  switch (feedId) {
    case 'police-hukou': {
      const status = v.status === '死亡' ? 'dead' : v.status === '迁出' ? 'moved-out' : 'active';
      return {
        subject: {
          idNumber: v.idNumber,
          canCreate: true,
          facts: {
            name: v.name,
            sex: sexFromCode(v.sex),
            birth_date: v.birthDate,
            street_code: v.streetCode,
            address: v.address,
            hukou_area_code: hukouArea(v.hukouCounty, v.hukouStreet),
            phone: v.phone,
            ethnicity: v.ethnicity,
            marital_status: v.maritalStatus,
            household_no: v.householdNo,
            household_relation: v.relation,
            residence_status: status,
            death_date: status === 'dead' ? v.closedDate : null,
          },
        },
        household: v.householdNo
          ? { no: v.householdNo, kind: v.householdKind, streetCode: v.streetCode }
          : undefined,
      };
    }
    case 'police-moves': {
      const moveType = v.moveType ?? '';
      const facts: Facts = { name: v.name, sex: sexFromCode(v.sex), birth_date: v.birthDate };
      if (v.toStreet) facts.street_code = v.toStreet;
      if (v.householdNo && v.toStreet) facts.household_no = v.householdNo;
      if (moveType === '迁出') facts.residence_status = 'moved-out';
      if (moveType === '死亡注销') facts.residence_status = 'dead';
      return {
        subject: { idNumber: v.idNumber, canCreate: true, facts },
        event: {
          kind: moveType === '出生登记' ? 'birth' : moveType === '死亡注销' ? 'death' : 'move',
          date: v.moveDate,
          details: {
            type: moveType,
            fromCounty: v.fromCounty,
            fromStreet: v.fromStreet,
            toCounty: v.toCounty,
            toStreet: v.toStreet,
            reason: v.reason,
            registration: 'police',
          },
        },
      };
    }
    case 'health-birth-certificates':
      return {
        subject: {
          idNumber: null,
          canCreate: false,
          certificateNo: v.certificateNo,
          facts: {
            name: v.childName,
            sex: sexFromText(v.childSex),
            birth_date: v.birthDate,
          },
        },
        motherIdNumber: v.motherIdNumber,
        fatherIdNumber: v.fatherIdNumber,
        event: {
          kind: 'birth',
          date: v.birthDate,
          details: {
            certificateNo: v.certificateNo,
            childName: v.childName,
            plurality: v.plurality,
            birthOrder: v.birthOrder,
            gestationWeeks: v.gestationWeeks,
            weightGrams: v.weightGrams,
            hospital: v.hospital,
            streetCode: v.streetCode,
          },
        },
      };
    case 'health-deaths':
      return {
        subject: {
          idNumber: v.idNumber,
          canCreate: true,
          certificateNo: v.birthCertificateNo,
          facts: {
            name: v.name,
            sex: sexFromText(v.sex),
            birth_date: v.birthDate,
            ethnicity: v.ethnicity,
            death_date: v.deathDate,
          },
        },
        event: {
          kind: 'death',
          date: v.deathDate,
          details: {
            causeCode: v.causeCode,
            cause: v.cause,
            place: v.place,
            maternal: v.maternal,
            streetCode: v.streetCode,
          },
        },
      };
    case 'health-vaccinations':
      return {
        subject: {
          idNumber: v.childIdNumber,
          canCreate: true,
          certificateNo: v.birthCertificateNo,
          facts: { name: v.childName, sex: sexFromText(v.sex), birth_date: v.birthDate },
        },
      };
    case 'medical-insurance-enrolment':
      return {
        subject: {
          idNumber: v.idNumber,
          canCreate: true,
          facts: {
            name: v.name,
            sex: sexFromCode(v.sex),
            birth_date: v.birthDate,
            street_code: v.streetCode,
            phone: v.phone,
          },
        },
      };
    case 'social-security-cards':
      return {
        subject: {
          idNumber: v.idNumber,
          canCreate: true,
          facts: {
            name: v.name,
            sex: sexFromText(v.sex),
            birth_date: v.birthDate,
            street_code: v.streetCode,
            address: v.address,
            phone: v.phone,
          },
        },
      };
    case 'civil-affairs-marriages':
      return {
        subject: {
          idNumber: v.husbandIdNumber,
          canCreate: true,
          facts: {
            name: v.husbandName,
            sex: 'male',
            birth_date: v.husbandBirthDate,
            marital_status: '20',
            street_code: v.streetCode,
            address: v.address,
          },
        },
        partner: {
          idNumber: v.wifeIdNumber,
          canCreate: true,
          facts: {
            name: v.wifeName,
            sex: 'female',
            birth_date: v.wifeBirthDate,
            marital_status: '20',
            street_code: v.streetCode,
            address: v.address,
          },
        },
        event: {
          kind: 'marriage',
          date: v.registeredDate,
          details: { office: v.office, officeCounty: v.officeCounty, streetCode: v.streetCode },
        },
      };
    case 'civil-affairs-special-families':
      return {
        subject: {
          idNumber: v.motherIdNumber,
          canCreate: false,
          facts: { name: v.motherName, sex: 'female', phone: v.phone },
        },
        event: {
          kind: 'special-family',
          date: v.recognisedDate,
          details: {
            kind: v.kind,
            childName: v.childName,
            childEventDate: v.childEventDate,
            fatherName: v.fatherName,
          },
        },
      };
    case 'education-enrolment':
      return {
        subject: {
          idNumber: v.idNumber,
          canCreate: true,
          facts: {
            name: v.name,
            sex: sexFromText(v.sex),
            birth_date: v.birthDate,
            ethnicity: v.ethnicity,
            hukou_area_code: v.hukouCounty,
            street_code: v.streetCode,
            address: v.address,
          },
        },
      };
    case 'housing-fund-contributors':
      return {
        subject: {
          idNumber: v.idNumber,
          canCreate: true,
          facts: {
            name: v.name,
            sex: sexFromCode(v.sex),
            birth_date: v.birthDate,
            street_code: v.streetCode,
            phone: v.phone,
          },
        },
      };
    default:
      throw new Error(`no mapping for feed ${feedId}`);
  }
}

/** Management area of a street or county code, for a new person's area. */
export function areaOfStreet(code: string | null | undefined): string | undefined {
  return code ? managementAreaOf(code) : undefined;
}
