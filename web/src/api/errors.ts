// Typed errors for every way a medvault request can fail. The server answers errors as
// {"error","message"} on its own endpoints and as an OperationOutcome under /fhir; both
// become an ApiError whose `kind` says what the screen should do about it.

export type ErrorKind =
  | 'unauthenticated' // no session, or it ended: back to the login screen
  | 'step_up_required' // the session is fine, the operation wants a fresh TOTP code
  | 'forbidden' // not allowed (e.g. another practice's patient: break the glass)
  | 'not_found'
  | 'conflict' // version mismatch (If-Match) or a duplicate
  | 'invalid' // the input was refused; `message` says why
  | 'too_many_requests' // backoff, lockout or containment throttling; see retryAfter
  | 'unavailable' // the server is busy or down
  | 'network' // no answer at all
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly status: number,
    message: string,
    /** The server's own code ("unauthenticated", "step_up_required", …) when it sent one. */
    readonly code: string = '',
    /** Seconds, from Retry-After on a 429 or 503. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function kindOf(status: number, code: string, message: string): ErrorKind {
  if (code === 'step_up_required') return 'step_up_required';
  // FHIR routes answer an OperationOutcome; a step-up is told by its diagnostics.
  if (status === 401 && /^step-up required/i.test(message)) return 'step_up_required';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'too_many_requests';
  if (status === 503) return 'unavailable';
  if (status >= 400 && status < 500) return 'invalid';
  return 'internal';
}

interface JsonErrorBody {
  error?: unknown;
  message?: unknown;
  resourceType?: unknown;
  issue?: { diagnostics?: unknown; code?: unknown }[];
}

/** The ApiError for a non-2xx response, from its body whichever shape it has. */
export async function errorOf(response: Response): Promise<ApiError> {
  let code = '';
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as JsonErrorBody;
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
    if (body.resourceType === 'OperationOutcome' && Array.isArray(body.issue) && body.issue[0]) {
      const issue = body.issue[0];
      if (typeof issue.diagnostics === 'string') message = issue.diagnostics;
      if (typeof issue.code === 'string') code = issue.code;
    }
  } catch {
    // not JSON: keep the status text
  }
  const header = response.headers.get('Retry-After');
  const retryAfter = header !== null && /^\d+$/.test(header) ? Number(header) : null;
  return new ApiError(kindOf(response.status, code, message), response.status, message, code, retryAfter);
}
