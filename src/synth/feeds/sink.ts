/**
 * Turns households into department feed rows (one file or more per feed), injects faults and
 * writes manifest.json and faults.json. Row-level randomness (delays, coverage) comes from one
 * seeded stream per feed, faults from another, so fault rates never change the rows beneath.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { managementAreas, streets } from '../../domain/areas.ts';
import { makeIdNumber } from '../../domain/id-number.ts';
import { addMonths, ageOn, dayOf, dayOfIso, isoOf, yearOf } from '../dates.ts';
import type { CitySink, SynthHousehold, SynthPerson } from '../model.ts';
import { drawGivenName, drawSurname, SURNAMES } from '../names.ts';
import { COVERAGE, ENROLMENT_RATE } from '../params.ts';
import { hashSeed, Rng } from '../prng.ts';
import {
  DEFAULT_FAULT_RATES,
  type FaultCounts,
  type FaultDetail,
  FaultInjector,
  type FaultRates,
  formatDate,
  formatTimestamp,
} from './faults.ts';
import { FEEDS, type FeedSpec } from './specs.ts';
import { type Cell, type FeedWriter, type ManifestEntry, openWriter } from './writers.ts';
import { XlsxWorkerPool } from './xlsx-worker.ts';

export type FeedSinkOptions = {
  outDir: string;
  seed: number;
  asOf: string;
  faultRates?: Partial<FaultRates>;
  /** Rows per xlsx file before a new file is started (default Excel's limit). */
  xlsxMaxRows?: number;
  /** Also write faults-detail.jsonl: one line per injected fault (record id, type, column). */
  faultDetails?: boolean;
  /** Write xlsx feeds on a worker thread (default true; output is the same either way). */
  xlsxWorker?: boolean;
};

export type Manifest = { feeds: ManifestEntry[] };

export type FaultsReport = {
  seed: number;
  asOf: string;
  rates: FaultRates;
  note: string;
  feeds: Record<string, { source: string; files: string[]; rows: number; faults: FaultCounts }>;
  totals: Record<string, number>;
};

type Feed = {
  spec: FeedSpec;
  writer: FeedWriter;
  injector: FaultInjector;
  rng: Rng;
  date: (iso: string) => string;
  ts: (day: number) => string;
};

const streetByCode = new Map(streets.map((s) => [s.code, s]));
const areaByCode = new Map(managementAreas.map((a) => [a.code, a]));
const areaIndex = new Map(managementAreas.map((a, i) => [a.code, i]));
const URBAN_AREAS = new Set(['530102', '530103', '530111', '530112', '530114', '530181', '530111402']);

/** National immunisation programme (2021 edition): vaccine, dose, age in months. */
const SCHEDULE: Array<[string, string, number, number]> = [
  ['HepB', '乙肝疫苗', 1, 0],
  ['BCG', '卡介苗', 1, 0],
  ['HepB', '乙肝疫苗', 2, 1],
  ['IPV', '脊灰灭活疫苗', 1, 2],
  ['IPV', '脊灰灭活疫苗', 2, 3],
  ['DTaP', '百白破疫苗', 1, 3],
  ['bOPV', '脊灰减毒活疫苗', 1, 4],
  ['DTaP', '百白破疫苗', 2, 4],
  ['DTaP', '百白破疫苗', 3, 5],
  ['HepB', '乙肝疫苗', 3, 6],
  ['MPSV-A', 'A群流脑多糖疫苗', 1, 6],
  ['MMR', '麻腮风疫苗', 1, 8],
  ['JE-L', '乙脑减毒活疫苗', 1, 8],
  ['MPSV-A', 'A群流脑多糖疫苗', 2, 9],
  ['DTaP', '百白破疫苗', 4, 18],
  ['MMR', '麻腮风疫苗', 2, 18],
  ['HepA-L', '甲肝减毒活疫苗', 1, 18],
  ['JE-L', '乙脑减毒活疫苗', 2, 24],
  ['MPSV-AC', 'A群C群流脑多糖疫苗', 1, 36],
  ['bOPV', '脊灰减毒活疫苗', 2, 48],
  ['DT', '白破疫苗', 1, 72],
  ['MPSV-AC', 'A群C群流脑多糖疫苗', 2, 72],
];

const GRADES: Array<[string, string, number]> = [
  ['学前教育', '小班', 3],
  ['学前教育', '中班', 4],
  ['学前教育', '大班', 5],
  ['小学', '一年级', 6],
  ['小学', '二年级', 7],
  ['小学', '三年级', 8],
  ['小学', '四年级', 9],
  ['小学', '五年级', 10],
  ['小学', '六年级', 11],
  ['初中', '初一', 12],
  ['初中', '初二', 13],
  ['初中', '初三', 14],
  ['高中', '高一', 15],
  ['高中', '高二', 16],
  ['高中', '高三', 17],
];
const STAGE_FIRST_AGE: Record<string, number> = { 学前教育: 3, 小学: 6, 初中: 12, 高中: 15 };
const STAGE_DIGIT: Record<string, string> = { 学前教育: '1', 小学: '2', 初中: '3', 高中: '4' };

/** Members of one household by pid (households are small: a scan beats a Map). */
class Members {
  constructor(private readonly list: SynthPerson[]) {}
  get(pid: string): SynthPerson | undefined {
    for (const m of this.list) if (m.pid === pid) return m;
    return undefined;
  }
}

const pidDigits = (pid: string): string => pid.replace('-', '');
const sexCode = (p: SynthPerson): string => (p.sex === 'male' ? '1' : '2');
const sexText = (p: SynthPerson): string => (p.sex === 'male' ? '男' : '女');
const countyOfStreet = (code: string): string => code.slice(0, 6);
const streetShort = (code: string): string =>
  (streetByCode.get(code)?.name ?? '').replace(/(街道|镇|乡|办事处)$/, '');

export class FeedSink implements CitySink {
  private feeds = new Map<string, Feed>();
  private waits: Promise<void>[] = [];
  private readonly asOf: number;
  private readonly census = dayOf(2020, 11, 1);
  private readonly rates: FaultRates;
  private readonly details: FaultDetail[] | null;
  private marriageSerial = 0;
  private pool: XlsxWorkerPool | null = null;
  manifest: Manifest | null = null;
  faults: FaultsReport | null = null;

  constructor(private readonly options: FeedSinkOptions) {
    this.asOf = dayOfIso(options.asOf);
    this.rates = { ...DEFAULT_FAULT_RATES, ...options.faultRates };
    this.details = options.faultDetails ? [] : null;
  }

  /** Rows written so far over all feeds (for progress). */
  get rows(): number {
    let n = 0;
    for (const f of this.feeds.values()) n += f.writer.rows;
    return n;
  }

  start(): void {
    const date = new Date(`${this.options.asOf}T00:00:00Z`);
    if (this.options.xlsxWorker !== false)
      this.pool = new XlsxWorkerPool(this.options.outDir, date, this.options.xlsxMaxRows);
    for (const spec of FEEDS) {
      const dateFmt = (iso: string): string => formatDate(iso, spec.dateStyle);
      const tsFmt = (day: number, seconds: number): string => formatTimestamp(day, seconds, spec.dateStyle);
      const rng = Rng.of(this.options.seed, 'rows', spec.id);
      this.feeds.set(spec.id, {
        spec,
        writer:
          spec.format === 'xlsx' && this.pool
            ? this.pool.open(spec)
            : openWriter(spec, this.options.outDir, date, this.options.xlsxMaxRows),
        injector: new FaultInjector(spec, this.rates, this.options.seed, this.asOf, tsFmt, this.details),
        rng,
        date: dateFmt,
        // Office hours mostly: 08:00–20:00.
        ts: (day: number) => tsFmt(Math.min(day, this.asOf), 28_800 + rng.int(43_200)),
      });
    }
  }

  private emit(feed: Feed, row: Cell[]): void {
    const twice = feed.injector.apply(row);
    const w = feed.writer.write(row);
    if (w) this.waits.push(w);
    if (twice) {
      const w2 = feed.writer.write(row.slice());
      if (w2) this.waits.push(w2);
    }
  }

  private feed(id: string): Feed {
    return this.feeds.get(id)!;
  }

  async household(h: SynthHousehold): Promise<void> {
    const byPid = new Members(h.members);
    for (const p of h.members) {
      this.police(h, p);
      this.moves(h, p);
      this.births(h, p, byPid);
      this.deaths(p);
      this.vaccinations(p, byPid);
      this.medicalInsurance(p);
      this.socialSecurity(p);
      this.marriage(h, p, byPid);
      this.specialFamily(h, p, byPid);
      this.education(h, p, byPid);
      this.housingFund(h, p);
    }
    if (this.waits.length) {
      const w = this.waits;
      this.waits = [];
      await Promise.all(w);
    }
  }

  // --- 公安 -----------------------------------------------------------------------------------

  private registeredDay(p: SynthPerson, rng: Rng): number | null {
    const birth = dayOfIso(p.birthDate);
    if (p.inDate) return p.registeredDate ? dayOfIso(p.registeredDate) : dayOfIso(p.inDate);
    if (birth > this.census) return p.registeredDate ? dayOfIso(p.registeredDate) : null;
    if (p.hukouArea && p.idAddressCode === p.hukouCounty)
      return Math.min(this.census, birth + 7 + rng.int(54));
    const adult = birth + 16 * 365;
    return adult < this.census ? adult + rng.int(this.census - adult) : Math.min(this.census, birth + 30);
  }

  private police(h: SynthHousehold, p: SynthPerson): void {
    const f = this.feed('police-hukou');
    const reg = this.registeredDay(p, f.rng);
    if (reg === null) return;
    const closed = p.deathDate ?? p.outDate;
    const last = Math.max(reg, closed ? dayOfIso(closed) : 0, p.moveDate ? dayOfIso(p.moveDate) : 0);
    this.emit(f, [
      `GA${pidDigits(p.pid)}`,
      p.idNumber,
      p.name,
      sexCode(p),
      p.ethnicity.name,
      f.date(p.birthDate),
      h.householdNo,
      p.relation.code,
      h.kind === 'family' ? '家庭户' : '集体户',
      p.hukouArea ? '户籍人口' : '居住登记',
      p.hukouCounty,
      p.hukouStreet,
      p.street,
      p.address,
      p.maritalStatus.code,
      p.deathDate ? '死亡' : p.outDate ? '迁出' : '正常',
      closed ? f.date(closed) : null,
      f.date(isoOf(reg)),
      p.phone,
      f.ts(last + f.rng.int(4)),
    ]);
  }

  private moveRow(
    f: Feed,
    h: SynthHousehold,
    p: SynthPerson,
    k: number,
    type: string,
    day: number,
    from: [string | null, string | null],
    to: [string | null, string | null],
    reason: string,
  ): void {
    if (day > this.asOf) return;
    this.emit(f, [
      `YW${pidDigits(p.pid)}${k}`,
      p.idNumber,
      p.name,
      sexCode(p),
      f.date(p.birthDate),
      type,
      f.date(isoOf(day)),
      from[0],
      from[1],
      to[0],
      to[1],
      reason,
      h.householdNo,
      f.ts(day + f.rng.int(3)),
    ]);
  }

  private moves(h: SynthHousehold, p: SynthPerson): void {
    if (!p.hukouArea) return;
    const f = this.feed('police-moves');
    const county = countyOfStreet(p.street);
    const birth = dayOfIso(p.birthDate);
    if (birth > this.census && p.registeredDate && !p.inDate) {
      this.moveRow(
        f,
        h,
        p,
        1,
        '出生登记',
        dayOfIso(p.registeredDate),
        [null, null],
        [county, p.street],
        '出生',
      );
    }
    if (p.inDate && p.registeredDate) {
      const reason = f.rng.pick(['投靠亲属', '务工', '购房', '工作调动']);
      this.moveRow(
        f,
        h,
        p,
        2,
        '迁入',
        dayOfIso(p.registeredDate),
        [p.inFrom, null],
        [county, p.street],
        reason,
      );
    }
    if (p.moveDate && p.previousStreet) {
      const from: [string, string] = [countyOfStreet(p.previousStreet), p.previousStreet];
      this.moveRow(
        f,
        h,
        p,
        3,
        '市内迁移',
        dayOfIso(p.moveDate),
        from,
        [county, p.street],
        p.moveReason === 'marriage' ? '婚迁' : '购房',
      );
    }
    if (p.outDate) {
      const reason = f.rng.pick(['务工', '工作调动', '投靠亲属']);
      this.moveRow(f, h, p, 4, '迁出', dayOfIso(p.outDate), [county, p.street], [null, null], reason);
    }
    if (p.deathDate) {
      this.moveRow(
        f,
        h,
        p,
        5,
        '死亡注销',
        dayOfIso(p.deathDate) + 5 + f.rng.int(36),
        [county, p.street],
        [null, null],
        '死亡',
      );
    }
  }

  // --- 卫健 -----------------------------------------------------------------------------------

  private births(h: SynthHousehold, p: SynthPerson, byPid: Members): void {
    if (!p.birth) return;
    const f = this.feed('health-birth-certificates');
    const mother = p.motherPid ? byPid.get(p.motherPid) : undefined;
    const father = p.fatherPid ? byPid.get(p.fatherPid) : undefined;
    let motherName: string;
    let motherId: string;
    if (mother) {
      motherName = mother.name;
      motherId = mother.idNumber;
    } else {
      // A mother who does not live in Kunming: a name and a valid ID of her own.
      const r = new Rng(hashSeed(this.options.seed, 'mother', p.pid));
      const born = dayOfIso(p.birthDate) - (24 + r.int(14)) * 365 - r.int(365);
      motherName = SURNAMES[drawSurname(r)] + drawGivenName(r, false, yearOf(born));
      motherId = makeIdNumber('530602', isoOf(born), 800 + 2 * r.int(99));
    }
    const issued = dayOfIso(p.birth.issuedDate);
    this.emit(f, [
      p.birth.certificateNo,
      p.name,
      sexText(p),
      f.date(p.birthDate),
      p.birth.gestationWeeks,
      p.birth.weightGrams,
      p.birth.plurality === 1 ? '单胎' : '双胎',
      p.birthOrder ?? 1,
      p.birth.hospital,
      motherName,
      motherId,
      father?.name ?? null,
      father?.idNumber ?? null,
      h.address,
      h.street,
      f.date(p.birth.issuedDate),
      f.ts(issued + f.rng.int(6)),
    ]);
  }

  private deaths(p: SynthPerson): void {
    if (!p.deathDate) return;
    const f = this.feed('health-deaths');
    const death = dayOfIso(p.deathDate);
    const age = ageOn(dayOfIso(p.birthDate), death);
    // A baby born after the census who died before the hukou registration has no ID number yet.
    const noId =
      dayOfIso(p.birthDate) > this.census &&
      !p.inDate &&
      (p.registeredDate === null || dayOfIso(p.registeredDate) > death);
    const report = Math.min(this.asOf, death + f.rng.int(8));
    const r = f.rng.next();
    const place =
      age < 1
        ? r < 0.85
          ? '医疗卫生机构'
          : '家中'
        : age >= 70
          ? r < 0.55
            ? '家中'
            : r < 0.95
              ? '医疗卫生机构'
              : '其他'
          : r < 0.6
            ? '医疗卫生机构'
            : r < 0.85
              ? '家中'
              : '其他';
    this.emit(f, [
      `SW${pidDigits(p.pid)}`,
      noId ? null : p.idNumber,
      p.birth?.certificateNo ?? null,
      p.name,
      sexText(p),
      p.ethnicity.name,
      f.date(p.birthDate),
      f.date(p.deathDate),
      age,
      p.deathCause?.code ?? 'R00-R99',
      p.deathCause?.text ?? '',
      place,
      p.maternalDeath ? '是' : '否',
      p.hukouCounty,
      p.address,
      p.street,
      f.date(isoOf(report)),
      f.ts(report + f.rng.int(3)),
    ]);
  }

  private vaccinations(p: SynthPerson, byPid: Members): void {
    const birth = dayOfIso(p.birthDate);
    if (birth < dayOf(2020, 1, 1)) return;
    const f = this.feed('health-vaccinations');
    const end = Math.min(
      this.asOf,
      p.deathDate ? dayOfIso(p.deathDate) - 1 : this.asOf,
      p.outDate ? dayOfIso(p.outDate) - 1 : this.asOf,
    );
    const from = p.inDate ? dayOfIso(p.inDate) : birth;
    const reg = p.registeredDate ? dayOfIso(p.registeredDate) : null;
    const mother = p.motherPid ? byPid.get(p.motherPid) : undefined;
    const phone = mother?.phone ?? null;
    const clinic = `${streetShort(p.street)}社区卫生服务中心`;
    const id = pidDigits(p.pid);
    for (let k = 0; k < SCHEDULE.length; k++) {
      const [code, name, dose, months] = SCHEDULE[k];
      const day = months === 0 ? birth + f.rng.int(2) : addMonths(birth, months) + f.rng.int(21);
      if (day > end || day < from || !f.rng.chance(COVERAGE.value.vaccinationDose)) continue;
      // Children born before the census were registered within about a month of birth.
      const hasId =
        p.inDate !== null || (birth <= this.census ? day >= birth + 30 : reg !== null && reg <= day);
      this.emit(f, [
        `JZ${id}${String(k).padStart(2, '0')}`,
        hasId ? p.idNumber : null,
        p.birth?.certificateNo ?? null,
        p.name,
        sexText(p),
        f.date(p.birthDate),
        code,
        name,
        dose,
        f.date(isoOf(day)),
        months === 0 && p.birth ? p.birth.hospital : clinic,
        p.street,
        phone,
        f.ts(day + f.rng.int(3)),
      ]);
    }
  }

  // --- 医保 / 人社 -----------------------------------------------------------------------------

  private startDay(
    p: SynthPerson,
    rng: Rng,
    newbornDelay: [number, number],
    arrivalDelay: [number, number],
    since: number,
  ): number {
    const birth = dayOfIso(p.birthDate);
    if (p.inDate) return dayOfIso(p.inDate) + arrivalDelay[0] + rng.int(arrivalDelay[1] - arrivalDelay[0]);
    if (birth > dayOf(2019, 12, 31))
      return birth + newbornDelay[0] + rng.int(newbornDelay[1] - newbornDelay[0]);
    const lo = Math.max(birth + 30, since);
    return lo >= this.census ? this.census - rng.int(30) : lo + rng.int(this.census - lo);
  }

  private medicalInsurance(p: SynthPerson): void {
    const f = this.feed('medical-insurance-enrolment');
    if (!f.rng.chance(COVERAGE.value.medicalInsurance)) return;
    const start = this.startDay(p, f.rng, [10, 90], [30, 180], dayOf(2008, 1, 1));
    const gone = p.deathDate ?? p.outDate;
    const goneDay = gone ? dayOfIso(gone) : null;
    if (start > this.asOf || (goneDay !== null && start >= goneDay)) return;
    const ended = goneDay !== null ? goneDay + (p.deathDate ? f.rng.int(31) : 30 + f.rng.int(91)) : null;
    const isEnded = ended !== null && ended <= this.asOf;
    const status = isEnded ? '4' : p.employed && f.rng.chance(0.03) ? '2' : '1';
    this.emit(f, [
      `YB${pidDigits(p.pid)}`,
      p.idNumber,
      p.name,
      sexCode(p),
      f.date(p.birthDate),
      p.employed ? '310' : '390',
      status,
      f.date(isoOf(start)),
      isEnded ? f.date(isoOf(ended)) : null,
      countyOfStreet(p.street),
      p.street,
      p.employed ? p.employer!.name : null,
      p.employed ? p.employer!.creditCode : null,
      p.phone,
      f.ts(isEnded ? ended : Math.max(start, this.asOf - f.rng.int(400))),
    ]);
  }

  private socialSecurity(p: SynthPerson): void {
    const f = this.feed('social-security-cards');
    if (!f.rng.chance(COVERAGE.value.socialSecurityCard)) return;
    const issued = this.startDay(p, f.rng, [60, 400], [30, 365], dayOf(2012, 1, 1));
    const gone = p.deathDate ?? p.outDate;
    const goneDay = gone ? dayOfIso(gone) : null;
    if (issued > this.asOf || (goneDay !== null && issued >= goneDay)) return;
    const age = ageOn(dayOfIso(p.birthDate), this.asOf);
    const retired = age >= (p.sex === 'male' ? 60 : 55);
    const employment =
      age < 6 ? '学龄前' : p.student ? '学生' : p.employed ? '就业' : retired ? '退休' : '未就业';
    const pension = p.employed
      ? '企业职工基本养老保险'
      : age >= 16 && !p.student && f.rng.chance(0.8)
        ? '城乡居民基本养老保险'
        : '未参保';
    const cancelled = p.deathDate !== null && dayOfIso(p.deathDate) + 30 <= this.asOf;
    const status = cancelled ? '注销' : f.rng.chance(0.02) ? '挂失' : '正常';
    const letter = String.fromCharCode(65 + (areaIndex.get(p.area) ?? 0));
    this.emit(f, [
      `${letter}${p.pid.slice(-8)}`,
      p.idNumber,
      p.name,
      sexText(p),
      f.date(p.birthDate),
      f.date(isoOf(issued)),
      status,
      employment,
      p.employer?.name ?? null,
      pension,
      p.phone,
      p.address,
      p.street,
      f.ts(cancelled ? dayOfIso(p.deathDate!) + 30 : issued + f.rng.int(10)),
    ]);
  }

  // --- 民政 -----------------------------------------------------------------------------------

  private marriage(h: SynthHousehold, p: SynthPerson, byPid: Members): void {
    if (p.sex !== 'female' || !p.marriageDate || !p.spousePid) return;
    const husband = byPid.get(p.spousePid);
    if (!husband) return;
    const f = this.feed('civil-affairs-marriages');
    const day = dayOfIso(p.marriageDate);
    const county = h.countyCode;
    const countyName = areaByCode.get(county)?.name ?? '';
    this.marriageSerial++;
    this.emit(f, [
      `J${county}-${yearOf(day)}-${String(this.marriageSerial).padStart(6, '0')}`,
      '结婚登记',
      f.date(p.marriageDate),
      husband.name,
      husband.idNumber,
      f.date(husband.birthDate),
      husband.hukouCounty,
      p.name,
      p.idNumber,
      f.date(p.birthDate),
      p.hukouCounty,
      `${countyName}民政局婚姻登记处`,
      county,
      h.address,
      h.street,
      f.ts(day + f.rng.int(2)),
    ]);
  }

  private specialFamily(h: SynthHousehold, p: SynthPerson, byPid: Members): void {
    if (!p.specialFamily) return;
    const f = this.feed('civil-affairs-special-families');
    const father = p.spousePid ? byPid.get(p.spousePid) : undefined;
    const event = dayOfIso(p.specialFamily.date);
    const recognised = Math.min(this.asOf - 1, event + 90 + f.rng.int(300));
    this.emit(f, [
      `TS${pidDigits(p.pid)}`,
      p.specialFamily.kind === 'death' ? '独生子女死亡' : '独生子女伤残',
      p.name,
      p.idNumber,
      father?.name ?? null,
      father?.idNumber ?? null,
      p.specialFamily.childName,
      f.date(p.specialFamily.date),
      f.date(isoOf(recognised)),
      p.hukouCounty,
      h.address,
      h.street,
      p.phone,
      f.ts(recognised + f.rng.int(5)),
    ]);
  }

  // --- 教育体育局 ---------------------------------------------------------------------------------

  private education(h: SynthHousehold, p: SynthPerson, byPid: Members): void {
    if (p.deathDate || p.outDate) return;
    const f = this.feed('education-enrolment');
    const [y, m] = [yearOf(this.asOf), Number(isoOf(this.asOf).slice(5, 7))];
    const schoolYear = m >= 9 ? y : y - 1;
    const age = ageOn(dayOfIso(p.birthDate), dayOf(schoolYear, 8, 31));
    const grade = GRADES.find((g) => g[2] === age);
    if (!grade || (p.inDate && dayOfIso(p.inDate) > this.asOf)) return;
    const [stage, gradeName] = grade;
    const rate =
      stage === '学前教育'
        ? ENROLMENT_RATE.value.kindergarten
        : stage === '小学'
          ? ENROLMENT_RATE.value.primary
          : stage === '初中'
            ? ENROLMENT_RATE.value.junior
            : ENROLMENT_RATE.value.senior;
    if (!f.rng.chance(rate)) return;
    const short = streetShort(h.street);
    const area = areaByCode.get(h.area);
    const school =
      stage === '学前教育'
        ? `${short}${f.rng.pick(['中心', '第一', '第二', '阳光', '春苗'])}幼儿园`
        : stage === '小学'
          ? `${short}${f.rng.pick(['中心', '第一', '第二'])}小学`
          : stage === '初中'
            ? `${area?.shortName ?? ''}${f.rng.pick(['第一', '第二', '第三'])}中学`
            : `${area?.shortName ?? ''}${f.rng.pick(['第一', '实验', '民族'])}高级中学`;
    const schoolCode = `${STAGE_DIGIT[stage]}${h.street}`;
    const entered = dayOf(schoolYear - (age - STAGE_FIRST_AGE[stage]), 9, 1);
    const guardian =
      (p.motherPid ? byPid.get(p.motherPid) : undefined) ??
      (p.fatherPid ? byPid.get(p.fatherPid) : undefined) ??
      h.members.find((m) => m.relation.code === '02' && m !== p && !m.deathDate);
    this.emit(f, [
      `G${p.idNumber}`,
      p.idNumber,
      p.name,
      sexText(p),
      f.date(p.birthDate),
      p.ethnicity.name,
      stage,
      gradeName,
      school,
      schoolCode,
      f.date(isoOf(entered)),
      '在读',
      p.hukouCounty,
      guardian?.name ?? null,
      guardian?.idNumber ?? null,
      guardian?.phone ?? null,
      h.address,
      h.street,
      f.ts(Math.max(entered, dayOf(schoolYear, 9, 1)) + f.rng.int(30)),
    ]);
  }

  // --- 住房公积金 ---------------------------------------------------------------------------------

  private housingFund(h: SynthHousehold, p: SynthPerson): void {
    if (!p.employed || !p.employer) return;
    const f = this.feed('housing-fund-contributors');
    const urban = URBAN_AREAS.has(h.area);
    if (!f.rng.chance(urban ? COVERAGE.value.housingFundUrban : COVERAGE.value.housingFundRural)) return;
    const birth = dayOfIso(p.birthDate);
    const lo = Math.max(birth + 18 * 365, dayOf(2005, 1, 1), p.inDate ? dayOfIso(p.inDate) + 30 : 0);
    if (lo > this.asOf) return;
    const opened = lo + f.rng.int(Math.max(1, this.asOf - lo));
    const base = Math.round(
      Math.min(30_000, Math.max(1_900, (urban ? 5_600 : 4_100) * Math.exp(0.45 * f.rng.normal()))),
    );
    const r = f.rng.next();
    const rate = r < 0.6 ? 0.12 : r < 0.75 ? 0.1 : r < 0.85 ? 0.08 : 0.05;
    const gone = p.deathDate ?? p.outDate;
    const status = p.deathDate
      ? '销户'
      : gone
        ? f.rng.chance(0.5)
          ? '销户'
          : '封存'
        : f.rng.chance(0.05)
          ? '封存'
          : '正常';
    this.emit(f, [
      `53${String(areaIndex.get(p.area) ?? 0).padStart(2, '0')}${p.pid.slice(-8)}`,
      p.idNumber,
      p.name,
      sexCode(p),
      f.date(p.birthDate),
      p.employer.name,
      p.employer.creditCode,
      status,
      f.date(isoOf(opened)),
      base,
      rate,
      Math.round(base * rate * 2),
      p.phone,
      p.street,
      f.ts(gone ? Math.max(opened, dayOfIso(gone)) : Math.max(opened, this.asOf - f.rng.int(60))),
    ]);
  }

  /** Stops the xlsx worker after a failure (files are left incomplete). */
  async abort(): Promise<void> {
    await this.pool?.terminate();
    this.pool = null;
  }

  async end(): Promise<void> {
    const entries: ManifestEntry[] = [];
    const report: FaultsReport = {
      seed: this.options.seed,
      asOf: this.options.asOf,
      rates: this.rates,
      note: 'At most one fault per row. duplicate = the row is written twice (the count is of extra rows). rows include duplicates.',
      feeds: {},
      totals: {},
    };
    for (const f of this.feeds.values()) {
      const files = await f.writer.close();
      entries.push(...files);
      report.feeds[f.spec.id] = {
        source: f.spec.source,
        files: files.map((e) => e.file),
        rows: f.writer.rows,
        faults: f.injector.counts,
      };
      for (const [k, v] of Object.entries(f.injector.counts)) {
        if (typeof v === 'number') report.totals[k] = (report.totals[k] ?? 0) + v;
      }
    }
    await this.pool?.shutdown();
    this.pool = null;
    this.manifest = { feeds: entries };
    this.faults = report;
    const dir = this.options.outDir;
    await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(this.manifest, null, 2)}\n`);
    await writeFile(path.join(dir, 'faults.json'), `${JSON.stringify(report, null, 2)}\n`);
    if (this.details) {
      await writeFile(
        path.join(dir, 'faults-detail.jsonl'),
        this.details.map((d) => `${JSON.stringify(d)}\n`).join(''),
      );
    }
  }
}
