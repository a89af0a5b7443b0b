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
