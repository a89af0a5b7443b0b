/**
 * Which feed a file is, who may send it, and the reason codes of rejected rows. The feed
 * specs (columns, format, encoding, date style) are synth's table in `synth/feeds/specs.ts`,
 * the one contract between the departments' files, the synthetic city and this importer.
 */
import { basename } from 'node:path';
import { FEEDS, type FeedSpec, SOURCES, type SourceId } from '../synth/feeds/specs.ts';

export { FEEDS, type FeedSpec, SOURCES, type SourceId };

export function findFeed(id: string): FeedSpec | undefined {
  return FEEDS.find((f) => f.id === id);
}

export function feedsOf(source: string): FeedSpec[] {
  return FEEDS.filter((f) => f.source === source);
}

/** A file's extension, lower case, from its name (not from a folder of its path). */
export function extensionOf(fileName: string): string {
  const name = basename(fileName).toLowerCase();
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}

/** The feed a file's name says it is: `police-hukou.csv`, an xlsx part `health-deaths-002.xlsx`, or any name beginning with a feed id. */
export function feedNamedBy(fileName: string, feeds: readonly FeedSpec[] = FEEDS): FeedSpec | undefined {
  const name = basename(fileName).toLowerCase();
  return feeds.find((f) => name === f.file || name.startsWith(`${f.id}-`) || name.startsWith(`${f.id}.`));
}

/**
 * The feed of a file of a source: by its file name (`police-hukou.csv`, the xlsx parts
 * `health-deaths-002.xlsx`, or any name beginning with a feed id), else the only feed of the
 * source with the file's format.
 */
export function detectFeed(source: string, fileName: string): FeedSpec | undefined {
  const feeds = feedsOf(source);
  const byName = feedNamedBy(fileName, feeds);
  if (byName) return byName;
  const ext = extensionOf(fileName);
  const byFormat = feeds.filter((f) => f.format === ext);
  return byFormat.length === 1 ? byFormat[0] : undefined;
}

/** Department key (`police@530102` → `police`) → the source its staff may import. */
export const DEPARTMENT_SOURCE: Record<string, SourceId> = {
  police: 'police',
  health: 'health',
  'medical-insurance': 'medical-insurance',
  'hr-social-security': 'social-security',
  'civil-affairs': 'civil-affairs',
  'education-sports': 'education',
  'housing-fund': 'housing-fund',
};

export function sourceOfDepartment(departmentCode: string | null): SourceId | undefined {
  if (!departmentCode) return undefined;
  return DEPARTMENT_SOURCE[departmentCode.split('@')[0]];
}

export type Localized = { 'zh-CN': string; en: string };

/** Row-level reason codes (rejects) and warnings, with their messages. */
export const REASONS: Record<string, Localized> = {
  'field.missing': { 'zh-CN': '缺少必填字段', en: 'A required field is empty' },
  'id.format': { 'zh-CN': '身份证号码格式错误', en: 'The ID number is malformed' },
  'id.checksum': { 'zh-CN': '身份证号码校验位错误', en: 'The ID number check character is wrong' },
  'id.birth_date': {
    'zh-CN': '身份证号码中的出生日期不存在',
    en: 'The birth date inside the ID number is impossible',
  },
  'id.future_birth_date': {
    'zh-CN': '身份证号码中的出生日期晚于今天',
    en: 'The birth date inside the ID number is in the future',
  },
  'date.invalid': { 'zh-CN': '日期不存在或格式错误', en: 'The date is impossible or malformed' },
  'date.future': { 'zh-CN': '日期晚于今天', en: 'The date is in the future' },
  'timestamp.invalid': { 'zh-CN': '时间格式错误', en: 'The timestamp is malformed' },
  'area.unknown': {
    'zh-CN': '区划或街道代码不在昆明市范围内',
    en: 'Unknown area or street code (not in Kunming)',
  },
  'area.outside_scope': {
    'zh-CN': '记录不属于上传人员的管辖区域',
    en: "The record is outside the uploader's area",
  },
  'code.invalid': { 'zh-CN': '代码值不在规定范围内', en: 'The code is not one of the allowed values' },
  'number.invalid': { 'zh-CN': '数值格式错误', en: 'The number is malformed' },
  'row.field_count': {
    'zh-CN': '该行列数与表头不一致',
    en: 'The row has a different number of fields than the header',
  },
  'row.malformed': { 'zh-CN': '该行无法解析', en: 'The row cannot be parsed' },
  // warnings (the row is accepted)
  'record.stale': {
    'zh-CN': '记录早于已导入的版本，未更新',
    en: 'Older than the version already imported; not applied',
  },
  'record.same_time_changed': {
    'zh-CN': '更新时间相同但内容不同，保留已导入版本',
    en: 'Same update time, different content; the imported version is kept',
  },
};

export function reasonMessage(code: string): Localized {
  return REASONS[code] ?? { 'zh-CN': code, en: code };
}
