import type { Language } from '../i18n/index.ts';
import type {
  Area,
  AuditRow,
  AuditVerify,
  BudgetResult,
  EntitlementInput,
  EntitlementsResult,
  Job,
  LocalizedText,
  Person,
  PersonSearch,
  Problem,
  Reform,
  RegistryPerson,
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
    let problem: Problem | null = null;
    try {
      const text = await res.text();
      problem = text ? (JSON.parse(text) as Problem) : null;
    } catch {
      problem = null;
    }
    // A session that ended (idle timeout, revoked) shows up as 401 on any call: tell the app,
    // which then sends the user to sign in. `/auth/*` answers 401 as part of its own flow.
    if (res.status === 401 && !url.startsWith('/api/v1/auth/')) {
      window.dispatchEvent(new Event(SESSION_ENDED_EVENT));
    }
    throw new ApiError(res.status, problem);
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
    request<{ persons: RegistryPerson[] }>('POST', '/api/v1/persons/search', q),
  person: (id: number) => request<{ person: RegistryPerson }>('GET', `/api/v1/persons/${id}`),
  revealIdNumber: (id: number, reason: string) =>
    request<{ idNumber: string }>('POST', `/api/v1/persons/${id}/reveal`, { reason }),
};
