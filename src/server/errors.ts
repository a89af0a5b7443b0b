import { parseIdNumber } from '../domain/id-number.ts';

/**
 * One error type, one table, one renderer. Every error the API returns has a stable dotted
 * code, an HTTP status and zh-CN/en messages; unknown errors become `internal.error` with the
 * request id (the stack goes to the log only).
 */

type Entry = { status: number; zh: string; en: string };

export const ERRORS = {
  'request.invalid': { status: 400, zh: '请求内容不符合要求', en: 'The request is not valid' },
  'request.not_found': { status: 404, zh: '没有这个接口', en: 'No such endpoint' },
  'request.too_many': {
    status: 429,
    zh: '请求过于频繁，请稍后再试',
    en: 'Too many requests; try again later',
  },
  'request.unsupported_media_type': { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  'request.too_large': { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  'auth.required': { status: 401, zh: '请先登录', en: 'Sign-in required' },
  'auth.invalid_credentials': { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.totp_required': { status: 401, zh: '请输入动态验证码', en: 'Enter your one-time authenticator code' },
  'auth.totp_invalid': { status: 401, zh: '动态验证码错误', en: 'The authenticator code is wrong' },
  'auth.locked': {
    status: 423,
    zh: '登录失败次数过多，账号已锁定至 {until}',
    en: 'Too many failed attempts; the account is locked until {until}',
  },
  'auth.disabled': { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  'auth.session_expired': {
    status: 401,
    zh: '登录已过期，请重新登录',
    en: 'Your session has expired; sign in again',
  },
  'auth.code_invalid': {
    status: 401,
    zh: '短信验证码错误或已过期',
    en: 'The SMS code is wrong or has expired',
  },
  'auth.citizen_unknown': {
    status: 404,
    zh: '未找到该身份证号码对应的登记信息或手机号码',
    en: 'No registered person with a phone number for this ID number',
  },
  'auth.forbidden': {
    status: 403,
    zh: '没有执行此操作的权限',
    en: 'You do not have permission for this action',
  },
  'id.invalid': { status: 400, zh: '身份证号码无效：{reason}', en: 'Invalid ID number: {reason}' },
  'person.not_found': {
    status: 404,
    zh: '未找到该人员，或不在您的管辖范围内',
    en: 'Person not found, or outside your scope',
  },
  'person.reveal_reason_required': {
    status: 400,
    zh: '查看完整证件号码须填写理由',
    en: 'A reason is required to reveal a full ID number',
  },
  'user.exists': { status: 409, zh: '用户名已存在', en: 'The username is already taken' },
  'user.scope': {
    status: 400,
    zh: '账号的地区或部门不正确：{reason}',
    en: 'Wrong area or department for the account: {reason}',
  },
  'job.not_found': { status: 404, zh: '未找到该任务', en: 'No such job' },
  'entitlements.invalid_input': { status: 400, zh: '输入不符合要求', en: 'The input is not valid' },
  'import.feed_unknown': { status: 404, zh: '没有这个数据接口（{feed}）', en: 'No such feed ({feed})' },
  'import.source_forbidden': {
    status: 403,
    zh: '您所在部门不能导入该来源（{source}）的数据',
    en: 'Your department may not import data of this source ({source})',
  },
  'import.columns': {
    status: 422,
    zh: '文件表头与模板不一致，整份文件未导入。缺少的列：{missing}；多出的列：{unexpected}{detail}',
    en: 'The header row does not match the template; nothing was imported. Missing columns: {missing}; unexpected columns: {unexpected}{detail}',
  },
  'import.truncated': {
    status: 422,
    zh: '文件不完整（在第 {line} 行附近被截断），整份文件未导入{detail}',
    en: 'The file is truncated (near line {line}); nothing was imported{detail}',
  },
  'import.encoding': {
    status: 422,
    zh: '文件编码错误（应为 {expected}），整份文件未导入{detail}',
    en: 'Wrong file encoding (expected {expected}); nothing was imported{detail}',
  },
  'import.unreadable': {
    status: 422,
    zh: '文件无法读取（{why}），整份文件未导入。请按模板重新导出后再上传',
    en: 'The file cannot be read ({why}); nothing was imported. Export it again from the template and upload it',
  },
  'import.file_required': { status: 400, zh: '请上传文件', en: 'Upload a file' },
  'import.not_found': {
    status: 404,
    zh: '未找到该导入记录，或不在您的管辖范围内',
    en: 'Import not found, or outside your scope',
  },
  'review.not_found': {
    status: 404,
    zh: '未找到该待核对记录，或不在您的管辖范围内',
    en: 'Review item not found, or outside your scope',
  },
  'review.decided': { status: 409, zh: '该记录已核对', en: 'This item has already been decided' },
  'internal.error': {
    status: 500,
    zh: '服务器内部错误（请求编号 {requestId}）',
    en: 'Internal server error (request {requestId})',
  },
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERRORS;

/** A field-level reason, in the shape of the pure libraries' issues. */
export type FieldIssue = { path: string; code: string; message: { 'zh-CN': string; en: string } };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly errors: FieldIssue[] = [],
  ) {
    super(code);
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
}

/** `{name}` → the parameter; a `name.zh` / `name.en` parameter is used in that language only. */
function fill(template: string, params: Record<string, string | number>, lang: 'zh' | 'en'): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) =>
    String(params[`${k}.${lang}`] ?? params[k] ?? `{${k}}`),
  );
}

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  messages: { 'zh-CN': string; en: string };
  requestId?: string;
  errors?: FieldIssue[];
};

/** Renders an error as RFC 9457 problem details; `lang` picks title/detail. */
export function toProblem(err: AppError, lang: 'zh-CN' | 'en', requestId?: string): Problem {
  const e = ERRORS[err.code];
  const messages = {
    'zh-CN': fill(e.zh, { requestId: requestId ?? '', ...err.params }, 'zh'),
    en: fill(e.en, { requestId: requestId ?? '', ...err.params }, 'en'),
  };
  return {
    type: `https://junheng.kunming.gov.cn/problems/${err.code}`,
    title: lang === 'en' ? e.en.replace(/[:：(（].*$/, '').trim() : e.zh.replace(/[:：(（].*$/, '').trim(),
    status: e.status,
    code: err.code,
    detail: messages[lang],
    messages,
    ...(requestId ? { requestId } : {}),
    ...(err.errors.length ? { errors: err.errors } : {}),
  };
}

/** Picks the response language from Accept-Language (zh-CN default). */
export function pickLang(acceptLanguage: string | undefined): 'zh-CN' | 'en' {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

/**
 * Parses an ID number at the boundary, or throws `id.invalid` naming the field (a JSON pointer)
 * with the validator's reason in both languages. Returns the normalised 18-character number.
 */
export function requireIdNumber(raw: string, path: string): string {
  const parsed = parseIdNumber(raw);
  if (!parsed.ok) {
    throw new AppError('id.invalid', { reason: parsed.message.zh }, [
      { path, code: parsed.code, message: { 'zh-CN': parsed.message.zh, en: parsed.message.en } },
    ]);
  }
  return parsed.value.normalized;
}
