/** The records the synthetic city hands to its sinks (feeds, summaries, DB seeding). */

export type Sex = 'male' | 'female';

export type SynthOptions = {
  /** Any integer; the same seed and scale give the same city, byte for byte. */
  seed: number;
  /** 1.0 = the whole city (8.46 M residents); 0.01 for the demo. */
  scale: number;
  /** Last day of events (ISO date, default 2025-12-31). The census day 2020-11-01 is the base. */
  asOf?: string;
  /** Called now and then while the city is generated. */
  onProgress?: (p: SynthProgress) => void;
};

export type SynthProgress = {
  phase: 'build' | 'emit' | 'done';
  area: string;
  areaIndex: number;
  areaCount: number;
  /** Persons handed to the sink so far, and the expected total (base + births + arrivals). */
  persons: number;
  expectedPersons: number;
};

export type Code = { code: string; text: string };

export type BirthDetails = {
  /** 出生医学证明编号: one letter and nine digits. */
  certificateNo: string;
  hospital: string;
  weightGrams: number;
  gestationWeeks: number;
  /** 1 single birth, 2 twins. */
  plurality: number;
  issuedDate: string;
};

export type SynthPerson = {
  /** Stable synthetic person id (unique within the city). */
  pid: string;
  name: string;
  sex: Sex;
  birthDate: string;
  idNumber: string;
  /** Address code inside the ID number (may be historic or outside Kunming). */
  idAddressCode: string;
  ethnicity: { code: string; name: string };
  /** GB/T 2260 county of the hukou (户籍), inside or outside Kunming. */
  hukouCounty: string;
  /** Management area of a Kunming hukou, null when the hukou is outside the city. */
  hukouArea: string | null;
  /** Street of a Kunming hukou (the household's street), null outside. */
  hukouStreet: string | null;
  /** Current (or last) residence: street code, management area, address text. */
  street: string;
  area: string;
  address: string;
  phone: string | null;
  relation: Code;
  maritalStatus: Code;
  motherPid: string | null;
  fatherPid: string | null;
  spousePid: string | null;
  /** Order among the mother's children when the mother is in the data (孩次). */
  birthOrder: number | null;
  twin: boolean;
  onlyChild: boolean;
  employed: boolean;
  employer: { name: string; creditCode: string } | null;
  student: boolean;
  /** Born on or after 2020-01-01: the birth medical certificate. */
  birth: BirthDetails | null;
  /** Hukou (or residence) registration of a newborn. */
  registeredDate: string | null;
  inDate: string | null;
  inFrom: string | null;
  outDate: string | null;
  /** Last move inside the area: date, street before, reason. */
  moveDate: string | null;
  previousStreet: string | null;
  moveReason: 'marriage' | 'housing' | null;
  deathDate: string | null;
  deathCause: Code | null;
  maternalDeath: boolean;
  /** Marriage registered inside the window (2020-11-02 .. as-of). */
  marriageDate: string | null;
  /** Family of 计划生育特殊家庭 (only child died or disabled), set on the mother. */
  specialFamily: { kind: 'death' | 'disability'; date: string; childName: string } | null;
};

export type SynthHousehold = {
  hid: string;
  /** 户号 (9 digits). */
  householdNo: string;
  kind: 'family' | 'collective';
  unitName: string | null;
  area: string;
  street: string;
  countyCode: string;
  address: string;
  /** Day the household was formed when after the census day (marriage, arrival). */
  createdDate: string | null;
  members: SynthPerson[];
};

export type CensusHouseholds = {
  population: number;
  familyHouseholds: number;
  familyPersons: number;
  collectiveHouseholds: number;
  collectivePersons: number;
};

export type CitySink = {
  /** One management area is about to be emitted; its households as on the census day. */
  area?(info: { area: string } & CensusHouseholds): void | Promise<void>;
  start?(info: {
    seed: number;
    scale: number;
    asOf: string;
    census: string;
    basePopulation: number;
  }): void | Promise<void>;
  household(h: SynthHousehold): void | Promise<void>;
  end?(): void | Promise<void>;
};
