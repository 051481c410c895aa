// The one way the app talks to medvault: same-origin fetch with the session cookie
// (HttpOnly: the app never sees it) and, on every state-changing request, the session's
// CSRF token in X-CSRF-Token. The token is kept in memory only; after a reload it comes
// back from GET /auth/me, which a cross-site page cannot read.
import { ApiError, errorOf } from './errors';

export { ApiError } from './errors';
export type { ErrorKind } from './errors';

export const CSRF_HEADER = 'X-CSRF-Token';

let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function clearCsrfToken(): void {
  csrfToken = '';
}

/** Called when a request finds the session gone (401): the shell shows the login screen. */
let onUnauthenticated: (error: ApiError) => void = () => {};
/**
 * Called when the server wants a fresh TOTP code before an operation. Resolves true once
 * the user confirmed (POST /auth/step-up succeeded): the request is then sent again, once.
 */
let onStepUp: (message: string) => Promise<boolean> = async () => false;

export function setUnauthenticatedHandler(handler: (error: ApiError) => void): void {
  onUnauthenticated = handler;
}

export function setStepUpHandler(handler: (message: string) => Promise<boolean>): void {
  onStepUp = handler;
}

// Requests refused together (the patient file loads six lists at once) share one prompt.
let pendingStepUp: Promise<boolean> | null = null;

function askStepUp(message: string): Promise<boolean> {
  pendingStepUp ??= onStepUp(message).finally(() => {
    pendingStepUp = null;
  });
  return pendingStepUp;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Serialized as JSON. */
  body?: unknown;
  /** Content-Type of the body; FHIR writes use application/fhir+json. */
  contentType?: string;
  headers?: Record<string, string>;
  /** The auth endpoints handle 401 themselves (a wrong code is not a lost session). */
  handleUnauthenticated?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

function changesState(method: string): boolean {
  return method !== 'GET';
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json, application/fhir+json', ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    body = JSON.stringify(options.body);
  }
  if (changesState(method) && csrfToken) headers[CSRF_HEADER] = csrfToken;
  try {
    return await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError('network', 0, 'the server did not answer');
  }
}

/**
 * Sends one request and returns the successful response, body unread. Throws ApiError.
 * A step-up request is handed to the step-up hook and retried once when the user
 * confirmed; a lost session is handed to the unauthenticated hook.
 */
async function answered(path: string, options: RequestOptions): Promise<Response> {
  let response = await send(path, options);
  if (response.ok) return response;
  let error = await errorOf(response);
  if (error.kind === 'step_up_required' && (await askStepUp(error.message))) {
    response = await send(path, options);
    if (response.ok) return response;
    error = await errorOf(response);
  }
  if (error.kind === 'unauthenticated' && options.handleUnauthenticated !== false) onUnauthenticated(error);
  throw error;
}

/** Sends one request and returns the parsed JSON body (null for 204). Throws ApiError. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  return parse<T>(await answered(path, options));
}

/**
 * GETs a file the server offers as a download (its own Content-Type and file name), as
 * the app's requests go: with the step-up prompt when the server asks for a fresh code.
 */
export async function download(path: string, defaultName: string): Promise<{ blob: Blob; filename: string }> {
  const response = await answered(path, { headers: { Accept: '*/*' } });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? defaultName;
  return { blob: await response.blob(), filename };
}

async function parse<T>(response: Response): Promise<ApiResponse<T>> {
  const text = response.status === 204 ? '' : await response.text();
  const body = (text ? JSON.parse(text) : null) as T;
  return { status: response.status, body, headers: response.headers };
}

export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request<T>(path, { signal })).body;
}

export async function post<T>(path: string, body?: unknown): Promise<T> {
  return (await request<T>(path, { method: 'POST', body })).body;
}

/** A query string from the defined values of `params`. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
