import type { Language } from '../i18n/index.ts';
import type {
  Area,
  AuditRow,
  AuditVerify,
  BudgetResult,
  EntitlementInput,
  EntitlementsResult,
  Feed,
  ImportReject,
  ImportStatus,
  Job,
  LocalizedText,
  Person,
  PersonPage,
  PersonSearch,
  Problem,
  Quality,
  Reform,
  RegistryPerson,
  ReviewItem,
  SlotTargets,
  User,
} from './types.ts';

/** Fired on `window` when an API call answers 401 outside the sign-in routes. */
export const SESSION_ENDED_EVENT = 'junheng:session-ended';

/** A failed API call: the HTTP status and the server's problem+json body (if it sent one). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** The network itself failed (server down, offline). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

function pick(text: LocalizedText | undefined, lang: Language): string | undefined {
  if (!text) return undefined;
  return text[lang] ?? text['zh-CN'] ?? text.en;
}

/**
 * The message to show for an error, in the current language: the server's localized
 * `messages[lang]` first, then `detail`, then `title`; `fallback` for anything else.
 */
export function problemMessage(
  err: unknown,
  lang: Language,
  fallback: (key: 'network' | 'unexpected', status?: number) => string,
): string {
  if (err instanceof NetworkError) return fallback('network');
  if (err instanceof ApiError) {
    const p = err.problem;
    return pick(p?.messages, lang) ?? p?.detail ?? p?.title ?? fallback('unexpected', err.status);
  }
  return fallback('unexpected');
}

/** Per-field messages from a problem's `errors`, keyed by the last segment of each path. */
export function fieldErrors(err: unknown, lang: Language): Map<string, string> {
  const out = new Map<string, string>();
  if (!(err instanceof ApiError)) return out;
  for (const e of err.problem?.errors ?? []) {
    const field = e.path.split(/[/.]/).filter(Boolean).pop();
    const msg = pick(e.message, lang) ?? e.code;
    if (field && !out.has(field)) out.set(field, msg);
  }
  return out;
}

function parseProblem(text: string): Problem | null {
  try {
    return text ? (JSON.parse(text) as Problem) : null;
  } catch {
    return null;
  }
}

function failed(status: number, text: string, url: string): ApiError {
  // A session that ended (idle timeout, revoked) shows up as 401 on any call: tell the app,
  // which then sends the user to sign in. `/auth/*` answers 401 as part of its own flow.
  if (status === 401 && !url.startsWith('/api/v1/auth/')) {
    window.dispatchEvent(new Event(SESSION_ENDED_EVENT));
  }
  return new ApiError(status, parseProblem(text));
}

/** The file name of a `content-disposition: attachment; filename="…"` answer. */
function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

/** GETs a file (template, rejects workbook) as a blob; errors as `ApiError`. */
async function download(url: string, fallbackName: string): Promise<{ blob: Blob; fileName: string }> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (err) {
    throw new NetworkError(err);
  }
  if (!res.ok) throw failed(res.status, await res.text(), url);
  return { blob: await res.blob(), fileName: fileNameOf(res, fallbackName) };
}

/**
 * Uploads a department file as the raw request body (XMLHttpRequest for upload progress).
 * Resolves with the import job; a refusal before the job (403, 413, …) rejects with `ApiError`.
 */
function uploadImport(
  feed: string,
  file: File,
  onProgress?: (sent: number, total: number) => void,
): Promise<{ id: number; created: boolean; statusUrl: string }> {
  const url = `/api/v1/imports?${new URLSearchParams({ feed, fileName: file.name })}`;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded, e.total);
    };
    xhr.onerror = () => reject(new NetworkError(new Error('upload failed')));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        const body = parseProblem(xhr.responseText) as unknown;
        resolve(body as { id: number; created: boolean; statusUrl: string });
      } else reject(failed(xhr.status, xhr.responseText, url));
    };
    xhr.send(file);
  });
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json, application/problem+json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new NetworkError(err);
  }
  if (!res.ok) {
    let text = '';
    try {
      text = await res.text();
    } catch {
      text = '';
    }
    throw failed(res.status, text, url);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  me: () => request<{ user: User }>('GET', '/api/v1/auth/me'),
  login: (input: { username: string; password: string; totp: string }) =>
    request<{ user: User }>('POST', '/api/v1/auth/login', input),
  sendCitizenCode: (input: { idNumber: string }) =>
    request<{ sent: true; phoneMasked: string }>('POST', '/api/v1/auth/citizen/code', input),
  citizenLogin: (input: { idNumber: string; code: string }) =>
    request<{ user: User }>('POST', '/api/v1/auth/citizen/login', input),
  logout: () => request<void>('POST', '/api/v1/auth/logout'),
  slotTargets: () => request<SlotTargets>('GET', '/api/v1/childcare/slot-targets'),
  myPerson: () => request<{ person: Person }>('GET', '/api/v1/me/person'),
  areas: () => request<{ areas: Area[] }>('GET', '/api/v1/areas'),
  entitlements: (input: EntitlementInput) =>
    request<EntitlementsResult>('POST', '/api/v1/entitlements', input),
  budgetReforms: () => request<{ reforms: Reform[] }>('GET', '/api/v1/budget/reforms'),
  startBudgetSimulation: (input: {
    years: number[];
    reform?: string | null;
    persons: number;
    seed?: number;
  }) => request<{ jobId: number; created: boolean }>('POST', '/api/v1/budget/simulations', input),
  budgetJob: (id: number) => request<Job<BudgetResult>>('GET', `/api/v1/jobs/${id}`),
  audit: (q: { limit: number; beforeId?: number; action?: string }) => {
    const params = new URLSearchParams({ limit: String(q.limit) });
    if (q.beforeId !== undefined) params.set('beforeId', String(q.beforeId));
    if (q.action) params.set('action', q.action);
    return request<{ rows: AuditRow[] }>('GET', `/api/v1/audit?${params}`);
  },
  verifyAudit: () => request<AuditVerify>('POST', '/api/v1/audit/verify'),
  // Search criteria travel in the body: no personal data in URLs.
  searchPersons: (q: PersonSearch) =>
    request<{ persons: RegistryPerson[] }>('POST', '/api/v1/registry/search', q),
  person: (id: number) => request<{ person: RegistryPerson }>('GET', `/api/v1/persons/${id}`),
  revealIdNumber: (id: number, reason: string) =>
    request<{ idNumber: string }>('POST', `/api/v1/persons/${id}/reveal`, { reason }),
  // ---------- registry: department imports, the fused record, reviews, quality ----------
  importFeeds: () => request<{ feeds: Feed[] }>('GET', '/api/v1/imports/feeds'),
  importTemplate: (feedId: string) =>
    download(`/api/v1/imports/templates/${encodeURIComponent(feedId)}`, `${feedId}-template`),
  uploadImport,
  imports: (limit = 50) => request<{ imports: ImportStatus[] }>('GET', `/api/v1/imports?limit=${limit}`),
  importStatus: (id: number) => request<ImportStatus>('GET', `/api/v1/imports/${id}`),
  importRejects: (id: number, offset: number, limit: number) =>
    request<{ total: number; rejects: ImportReject[] }>(
      'GET',
      `/api/v1/imports/${id}/rejects?offset=${offset}&limit=${limit}`,
    ),
  importRejectsXlsx: (id: number) => download(`/api/v1/imports/${id}/rejects.xlsx`, `rejects-${id}.xlsx`),
  registryPerson: (id: number) => request<PersonPage>('GET', `/api/v1/registry/persons/${id}`),
  reviews: (limit = 50) =>
    request<{ items: ReviewItem[] }>('GET', `/api/v1/registry/reviews?status=open&limit=${limit}`),
  decideReview: (id: number, decision: 'same' | 'different') =>
    request<{ id: number; status: string; fieldsChanged: number }>(
      'POST',
      `/api/v1/registry/reviews/${id}/decision`,
      { decision },
    ),
  quality: (q: { areaCode?: string; source?: string } = {}) => {
    const params = new URLSearchParams();
    if (q.areaCode) params.set('areaCode', q.areaCode);
    if (q.source) params.set('source', q.source);
    const qs = params.toString();
    return request<Quality>('GET', `/api/v1/registry/quality${qs ? `?${qs}` : ''}`);
  },
};
