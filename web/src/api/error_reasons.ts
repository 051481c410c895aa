// What a refused request means, in terms the app can translate. The server answers
// {"error": code, "message"} on its own endpoints and an OperationOutcome (issue code,
// diagnostics) under /fhir. The code is generic (forbidden, throttled…); the few
// situations a user must tell apart (a budget's step-up, a session taken over, the
// break-the-glass limit…) are told by the message, whose English text the server keeps
// stable. Each reason names that text's start as the server writes it (`serverText`):
// web/unit/error_reasons.test.ts checks that every one still occurs in the server's
// sources under src/, and that every code and reason has a label in both languages.
// Kept free of the DOM and of the i18n module so that the unit check runs under Node.

/** A situation with its own label; matched on the message, in this order. */
export interface ErrorReason {
  reason: string;
  /** Matches the server's message (diagnostics on /fhir). */
  pattern: RegExp;
  /** Text the server's sources contain, from which `pattern` was written. */
  serverText: string;
}

export const ERROR_REASONS: readonly ErrorReason[] = [
  {
    reason: 'step-up-budget',
    pattern: /^step-up required: this account has reached its budget/,
    serverText: 'step-up required: this account has reached its budget of ',
  },
  {
    reason: 'step-up-contained',
    pattern: /^step-up required: the security officer or the detector asks/,
    serverText: 'the security officer or the detector asks this account to confirm ',
  },
  {
    reason: 'step-up',
    pattern: /^step-up required/,
    serverText: 'step-up required: confirm with a fresh code (POST /auth/step-up), then retry',
  },
  {
    reason: 'session-moved',
    pattern: /belongs to another device/,
    serverText: 'this session belongs to another device and has been ended: log in again',
  },
  { reason: 'session-expired', pattern: /^no valid session/, serverText: 'no valid session: log in again' },
  {
    reason: 'challenge-expired',
    pattern: /^invalid or expired challenge/,
    serverText: 'invalid or expired challenge: log in again',
  },
  {
    reason: 'code-reused',
    pattern: /^this code was already used/,
    serverText: 'this code was already used: wait for the next one',
  },
  { reason: 'code-invalid', pattern: /^invalid code$/, serverText: '"invalid code"' },
  { reason: 'password-wrong', pattern: /^invalid username or password$/, serverText: 'invalid username or password' },
  {
    reason: 'current-password-wrong',
    pattern: /^the current password is not right/,
    serverText: 'the current password is not right',
  },
  {
    reason: 'password-change-required',
    pattern: /^your password was reset/,
    serverText: 'your password was reset: change it (POST /auth/password) before anything else',
  },
  { reason: 'backoff', pattern: /^too many failed attempts/, serverText: 'too many failed attempts: try again later' },
  { reason: 'csrf', pattern: /CSRF token/, serverText: 'missing or invalid CSRF token' },
  {
    reason: 'break-glass-needed',
    pattern: /not in your care: break the glass/,
    serverText: 'the patient is not in your care: break the glass (POST /access/break-glass) ',
  },
  {
    reason: 'break-glass-limit',
    pattern: /break-the-glass (grants|limit) of the last 24 hours/,
    serverText: ' break-the-glass grants of the last 24 hours; call the security officer',
  },
  {
    reason: 'break-glass-role',
    pattern: /^only physicians and nurses may break the glass/,
    serverText: 'only physicians and nurses may break the glass',
  },
  {
    reason: 'other-organization',
    pattern: /does not belong to your organization|only be registered in your own organization/,
    serverText: 'the patient does not belong to your organization',
  },
  {
    reason: 'restricted-directory',
    pattern: /restricted patients are not listed in the directory/,
    serverText: 'restricted patients are not listed in the directory',
  },
  {
    reason: 'care-team-only',
    pattern: /only a physician of the patient's care team/,
    serverText: "only a physician of the patient's care team may set or remove a ",
  },
  {
    reason: 'budget-spent',
    pattern: /^this account has used its budget of/,
    serverText: 'this account has used its budget of ',
  },
  {
    reason: 'throttled',
    pattern: /^this account is slowed down/,
    serverText: 'this account is slowed down: one request every ',
  },
  {
    reason: 'officer-only',
    pattern: /is for the security officer$/,
    serverText: 'the security console is for the security officer',
  },
  {
    reason: 'admin-only',
    pattern: /is for administrators$/,
    serverText: 'account administration is for administrators',
  },
  {
    reason: 'contain-self',
    pattern: /^you cannot contain your own account/,
    serverText: 'you cannot contain your own account',
  },
  {
    reason: 'locked-by-officer',
    pattern: /^the security officer locked this account/,
    serverText: 'the security officer locked this account; only the security officer unlocks it',
  },
  { reason: 'shutting-down', pattern: /^the server is shutting down/, serverText: 'the server is shutting down' },
];

/**
 * The server's error codes: the `error` of its JSON answers (NameOf in
 * src/common/result.cc, plus step_up_required) and the issue codes of its
 * OperationOutcomes (IssueCode in src/fhir/bundle.cc). Each has a label `error.code.*`.
 */
export const ERROR_CODES = [
  'invalid',
  'unauthenticated',
  'step_up_required',
  'forbidden',
  'not-found',
  'method-not-allowed',
  'conflict',
  'gone',
  'precondition-failed',
  'payload-too-large',
  'unsupported-media-type',
  'unprocessable',
  'too-many-requests',
  'unavailable',
  'internal',
  // OperationOutcome issue codes
  'login',
  'not-supported',
  'deleted',
  'too-long',
  'processing',
  'throttled',
  'transient',
  'exception',
] as const;

/** What the app adds without a server code: no answer, or an answer it could not read. */
export const CLIENT_CODES = ['network', 'unknown'] as const;

export type ErrorCodeName = (typeof ERROR_CODES)[number] | (typeof CLIENT_CODES)[number];

/** The label keys of every code and reason, as `error.code.X` and `error.reason.X`. */
export function errorLabelKeys(): string[] {
  return [
    ...ERROR_CODES.map((c) => `error.code.${c}`),
    ...CLIENT_CODES.map((c) => `error.code.${c}`),
    ...ERROR_REASONS.map((r) => `error.reason.${r.reason}`),
  ];
}

/**
 * The label for an error: its reason's when the message names one (the message then adds
 * nothing), else its code's with the server's message kept as a detail (a refused field
 * says which one), else a generic label by HTTP status.
 */
export function errorLabel(code: string, status: number, message: string): { key: string; detail: string } {
  const reason = ERROR_REASONS.find((r) => r.pattern.test(message));
  if (reason) return { key: `error.reason.${reason.reason}`, detail: '' };
  const known = (ERROR_CODES as readonly string[]).includes(code) ? code : codeOfStatus(status);
  return { key: `error.code.${known}`, detail: message };
}

function codeOfStatus(status: number): string {
  if (status === 0) return 'network';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'too-many-requests';
  if (status === 503) return 'unavailable';
  if (status >= 400 && status < 500) return 'invalid';
  if (status >= 500) return 'internal';
  return 'unknown';
}
