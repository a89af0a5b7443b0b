/** Shapes of the JSON API (`/api/v1`), as the server's contract gives them. */

export type Role = 'citizen' | 'staff' | 'area_admin' | 'city_admin' | 'auditor';

export const ROLES: readonly Role[] = ['citizen', 'staff', 'area_admin', 'city_admin', 'auditor'];

export type User = {
  id: string;
  displayName: string;
  role: Role;
  areaCode: string | null;
  areaName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  departmentNameEn: string | null;
  permissions: string[];
};

export type LocalizedText = { 'zh-CN'?: string; en?: string };

/** RFC 9457 problem details, as the server renders every error. */
export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  messages?: LocalizedText;
  errors?: { path: string; code: string; message?: LocalizedText }[];
};

export type SlotYear = {
  total: number;
  inclusive: number;
  per1000: number;
  inclusiveShare: number;
  belowFloor: boolean;
};

export type SlotTargetRow = {
  code: string;
  name: string;
  nameEn?: string;
  kind: 'city' | 'county' | 'functional-zone';
  population2020: number;
  mapName: string | null;
  slots: Record<string, SlotYear>;
};

export type SlotTargets = {
  source: { document: string; clause: string; text: string };
  targets: { slotsPer1000: number; inclusiveShareMin: number };
  years: number[];
  rows: SlotTargetRow[];
};

export type Person = {
  idNumberMasked: string;
  name: string;
  sex: string;
  birthDate: string;
  hukouAreaCode: string;
  hukouAreaName: string;
  children: { name: string; birthDate: string; idNumberMasked: string }[];
};

// ---------- the entitlement calculator (contract: shared/specs/entitlements.md) ----------

export type EntitlementParentInput = {
  role: 'mother' | 'father';
  birthDate?: string;
  employed?: boolean;
  onlyChild?: boolean;
  elderlyParentHospitalized?: boolean;
};

export type EntitlementChildInput = {
  birthDate: string;
  hukouArea?: string;
  difficultBirth?: boolean;
  adopted?: boolean;
  birthOrder?: number;
};

export type EntitlementInput = {
  asOf: string;
  family: {
    hukouArea?: string;
    specialFamily?: boolean;
    parents: EntitlementParentInput[];
    children: EntitlementChildInput[];
    housing?: {
      ownsHome: boolean;
      rents: boolean;
      contributesToHousingFund: boolean;
      buyingFirstHome: boolean;
    };
  };
};

export type Citation = { source: string; clause: string; text: string; document?: string; grade?: string };

export type ExplanationLine = { condition: string; holds: boolean; zh: string; en: string };

export type Entitlement = {
  id: string;
  /** `child:N` (0-based index into the input's children), `mother`, `father` or `family`. */
  subject: string;
  eligible: boolean;
  amountFen?: number;
  days?: number;
  minutesPerDay?: number;
  percent?: number;
  citations: Citation[];
  explanation: ExplanationLine[];
  decidedBy?: string | null;
  /** Extras some entitlements carry. */
  birthOrder?: number;
  year?: number;
  month?: string;
  months?: number;
  services?: { id: string; clause: string; zh: string; en: string; text: string }[];
};

export type EntitlementsResult = { asOf: string; entitlements: Entitlement[] };

// ---------- budget simulation (planners) ----------

export type Reform = { id: string; description: { zh: string; en: string } };

export type ProgrammeTotal = { amount: number; unit: string; eligible: number };

export type BudgetYear = {
  year: number;
  asOf: string;
  cashTotalFen: number;
  programmes: Record<string, ProgrammeTotal>;
  /** Cash (fen) by county code (a number as a string, or 'unknown'), then by cash programme. */
  byArea: Record<string, Record<string, number>>;
};

export type BudgetReformYear = BudgetYear & {
  difference: { cashTotalFen: number; programmes: Record<string, number> };
  familiesGaining: number;
  familiesLosing: number;
};

export type BudgetResult = {
  persons: number;
  families: number;
  children: number;
  reforms: string[];
  notes: Array<{ zh: string; en: string }>;
  years: { current: BudgetYear; reform?: BudgetReformYear }[];
};

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

export type Job<R> = {
  id: number;
  queue: string;
  state: JobState;
  attempts: number;
  progress: { done: number; total: number; message?: string } | null;
  result: R | null;
  error: string | null;
};

export type Area = {
  code: string;
  name: string;
  shortName: string;
  nameEn: string;
  kind: string;
  population2020: number;
  streets: number;
};

// ---------- audit ----------

export type AuditRow = {
  id: number;
  occurredAt: string;
  actorId: number | null;
  actorRole: string | null;
  actorArea: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: string;
  requestId: string | null;
  hash: string;
};

export type AuditVerify = {
  ok: boolean;
  rows: number;
  firstBadId?: number;
  reason?: string;
  lastHash?: string;
};

// ---------- the person registry (staff) ----------

export type RegistryPerson = {
  id: number;
  idNumberMasked: string;
  name: string;
  sex: string;
  birthDate: string;
  areaCode: string;
  streetCode: string | null;
  hukouAreaCode: string | null;
  phoneMasked: string | null;
  deathDate: string | null;
};

/** `idNumberMasked` is the masked form staff see elsewhere, e.g. 5301**********123X. */
export type PersonSearch = {
  name?: string;
  idNumber?: string;
  idNumberMasked?: string;
  areaCode?: string;
  limit: number;
};

// ---------- department imports (registry) ----------

export type FeedColumn = {
  header: string;
  key: string;
  type: string;
  nullable: boolean;
  description: string;
};

export type Feed = {
  id: string;
  source: string;
  department: string;
  title: string;
  file: string;
  format: string;
  encoding: string;
  dateStyle: string;
  columns: FeedColumn[];
};

export type ImportReport = {
  accepted: number;
  rejected: number;
  updated: number;
  unchanged: number;
  queuedForReview: number;
  rejectsByReason: Record<string, number>;
  warningsByReason?: Record<string, number>;
  importId: number | null;
  feed: string;
  source: string;
  file: string;
  rows: number;
  linked?: { byIdNumber: number; byCertificate: number; byMatch: number; byReview: number; unlinked: number };
  personsCreated?: number;
  personsUpdated?: number;
  fieldChanges?: number;
  conflicts?: number;
  durationMs?: number;
  alreadyImported?: boolean;
  previousImportId?: number;
};

export type ImportState = 'queued' | 'running' | 'succeeded' | 'refused' | 'failed';

export type ImportStatus = {
  id: number;
  state: ImportState;
  feed: string;
  source: string;
  fileName: string;
  submittedBy: string | null;
  areaCode: string | null;
  createdAt: string;
  progress: { done: number; total?: number; message?: string } | null;
  report: ImportReport | null;
  error: { code: string; messages: { 'zh-CN': string; en: string } } | null;
};

export type ImportReject = {
  line: number;
  recordId: string | null;
  reason: string;
  message: { 'zh-CN': string; en: string };
  column: string | null;
  values: Record<string, string | null>;
};

// ---------- the fused registry ----------

export type FieldSource = {
  source: string;
  feed: string;
  recordId: string;
  updatedAt: string;
  importId: number;
};

export type FusedPerson = {
  id: number;
  idNumberMasked: string;
  name: string;
  sex: string;
  birthDate: string;
  areaCode: string;
  streetCode: string | null;
  hukouAreaCode: string | null;
  deathDate: string | null;
  residenceStatus: string | null;
  phoneMasked: string | null;
  address: string | null;
  householdNo: string | null;
};

export type PersonPage = {
  person: FusedPerson;
  fields: { field: string; value: string | null; source: FieldSource | null }[];
  relatives: {
    id: number;
    name: string;
    idNumberMasked: string;
    birthDate: string;
    relation: string;
    householdRelation: string | null;
  }[];
  events: {
    kind: string;
    date: string | null;
    feed: string;
    recordId: string;
    role: string;
    details: Record<string, string | null>;
  }[];
  history: {
    field: string;
    oldValue: string | null;
    newValue: string | null;
    oldSource: string | null;
    source: string;
    feed: string;
    recordId: string;
    recordUpdatedAt: string;
    changedAt: string;
  }[];
  conflicts: {
    id: number;
    field: string;
    currentValue: string | null;
    currentSource: string | null;
    offeredValue: string | null;
    source: string;
    feed: string;
    recordId: string;
    status: string;
  }[];
  records: { feed: string; source: string; recordId: string; updatedAt: string; linkMethod: string | null }[];
};

export type ReviewItem = {
  id: number;
  feed: string;
  recordId: string;
  source: string;
  areaCode: string;
  score: number;
  reasons: string[];
  record: Record<string, string | null>;
  status: string;
  createdAt: string;
  candidate: {
    id: number;
    name: string;
    idNumberMasked: string;
    birthDate: string;
    streetCode: string | null;
  };
};

export type QualityRow = {
  importId: number;
  feed: string;
  source: string;
  areaCode: string;
  at: string;
  rows: number;
  completeness: number | null;
  validity: number | null;
  timeliness: number | null;
  linkageRate: number | null;
  openConflicts: number;
};

export type Quality = { latest: QualityRow[]; trend: QualityRow[] };
