// The security officer's endpoints (/security/…, /audit/…, /fhir/AuditEvent), typed as
// the server answers them (src/api/security_api.cc, account_activity.cc, alerts.cc,
// audit_api.cc, incident_api.cc, posture.cc). Only ids, usernames and figures: the
// console never shows a patient's identity (breach reports name patients by id).
import { get, post, query } from '../api/client';

export type Severity = 'low' | 'medium' | 'high';

export interface Alert {
  id: number;
  created_at: string;
  account: string;
  username: string;
  severity: Severity;
  kind: string;
  patient: string;
  state: 'open' | 'resolved';
  /** The detector's explanation (or the break-the-glass reason), opened for the officer. */
  detail?: string;
  audit_event: string;
  resolved_at?: string;
  resolved_by?: string;
}

export interface ExplanationLine {
  feature: string;
  value: number;
  usual: number;
  threshold: number;
  points: number;
  sentence: string;
}

export interface ActivityBucket {
  start: string;
  requests: number;
  refused: number;
  patients: number;
  risk: number | null;
}

export interface Activity {
  account: { id: string; username: string; role: string; organization: string; status: string };
  containment: { locked: boolean; step_up_required_since: string; throttled_until: string };
  budgets: {
    patients_last_hour: number;
    patients_per_hour: number;
    patients_last_day: number;
    patients_per_day: number;
    directory_searches_last_hour: number;
    directory_searches_per_hour: number;
    extended: boolean;
  };
  risk?: {
    score: number;
    level: string;
    severity: string;
    explanation: ExplanationLine[];
    sessions: { session: string; score: number }[];
    audit_events: string[];
  };
  alerts: Alert[];
  series: { from: string; until: string; bucket_seconds: number; complete: boolean; buckets: ActivityBucket[] };
  recent: {
    audit_event: string;
    time: string;
    interaction: string;
    type: string;
    status: number;
    patients: number;
    client_address: string;
  }[];
}

/** What POST /security/accounts/{id}/contain accepts (identity/containment.h). */
export const CONTAINMENT_ACTIONS = [
  'suspend-sessions',
  'lock',
  'step-up',
  'throttle',
  'require-reset',
  'release',
  'unlock',
] as const;
export type ContainmentAction = (typeof CONTAINMENT_ACTIONS)[number];

export async function listAlerts(filter: { state?: string; severity?: string; account?: string }): Promise<Alert[]> {
  const body = await get<{ alerts: Alert[] }>(`/security/alerts${query({ ...filter, _count: 100 })}`);
  return body.alerts;
}

export function resolveAlert(id: number, note: string): Promise<Alert> {
  return post<Alert>(`/security/alerts/${id}/resolve`, { note });
}

export function accountActivity(accountId: string, hours: number, signal?: AbortSignal): Promise<Activity> {
  return get<Activity>(`/security/accounts/${encodeURIComponent(accountId)}/activity${query({ hours })}`, signal);
}

export function contain(
  accountId: string,
  action: ContainmentAction,
): Promise<{ account: string; action: string; at: string }> {
  return post(`/security/accounts/${encodeURIComponent(accountId)}/contain`, { action });
}

export interface TreeHead {
  size: number;
  root: string;
  timestamp: number;
  signature: string;
  key_id: string;
  checkpoint: string;
}

export function treeHead(): Promise<TreeHead> {
  return get<TreeHead>('/audit/tree-head');
}

export interface Finding {
  severity: 'info' | 'low' | 'medium' | 'high';
  check: string;
  subject: string;
  message: string;
}

export interface PostureReport {
  generated_at: string;
  highest: Finding['severity'];
  counts: Record<Finding['severity'], number>;
  findings: Finding[];
}

export function selfCheck(): Promise<PostureReport> {
  return get<PostureReport>('/security/selfcheck');
}

/** One row of the audit search, from a FHIR AuditEvent. */
export interface AuditRow {
  id: string;
  /** The entry's sequence number: the leaf index + 1 in the Merkle log. */
  seq: number;
  recorded: string;
  interaction: string;
  outcome: string;
  outcomeDesc: string;
  username: string;
  account: string;
  address: string;
  patient: string;
  target: string;
}

interface FhirCoding {
  system?: string;
  code?: string;
}
interface FhirAuditEvent {
  id: string;
  recorded: string;
  outcome: string;
  outcomeDesc?: string;
  subtype?: FhirCoding[];
  agent?: {
    requestor?: boolean;
    who?: { display?: string; identifier?: { value?: string } };
    network?: { address?: string };
  }[];
  entity?: { what?: { reference?: string; identifier?: { value?: string } }; type?: FhirCoding }[];
}
interface Bundle {
  entry?: { resource: FhirAuditEvent }[];
  link?: { relation: string; url: string }[];
}

function rowOf(e: FhirAuditEvent): AuditRow {
  const person = e.agent?.find((a) => a.requestor);
  const client = e.agent?.find((a) => a.network);
  const refs = (e.entity ?? []).map((x) => x.what?.reference ?? '').filter(Boolean);
  const patient = refs.find((r) => r.startsWith('Patient/'))?.slice('Patient/'.length) ?? '';
  return {
    id: e.id,
    seq: Number.parseInt(e.id, 10),
    recorded: e.recorded,
    interaction: e.subtype?.find((c) => c.system === 'urn:medvault:interaction')?.code ?? '',
    outcome: e.outcome,
    outcomeDesc: e.outcomeDesc ?? '',
    username: person?.who?.display ?? '',
    account: person?.who?.identifier?.value ?? '',
    address: client?.network?.address ?? '',
    patient,
    target: refs.find((r) => !r.startsWith('Patient/')) ?? '',
  };
}

export interface AuditCriteria {
  agentName?: string;
  patient?: string;
  /** datetime-local values, in the browser's time zone. */
  from?: string;
  until?: string;
  outcome?: string;
  /** Entries per page (the server allows 1 to 100). */
  count?: number;
}

export interface AuditPage {
  rows: AuditRow[];
  /** The path of the next page, if there is one. */
  next: string | null;
}

/** The first page's path for `c`, or the path a previous page gave as next. */
export function auditSearchPath(c: AuditCriteria): string {
  const params = new URLSearchParams();
  if (c.agentName) params.append('agent-name', c.agentName);
  if (c.patient) params.append('patient', c.patient);
  if (c.from) params.append('date', `ge${new Date(c.from).toISOString()}`);
  if (c.until) params.append('date', `lt${new Date(c.until).toISOString()}`);
  if (c.outcome) params.append('outcome', c.outcome);
  params.append('_count', String(c.count ?? 50));
  return `/fhir/AuditEvent?${params.toString()}`;
}

export async function searchAudit(path: string): Promise<AuditPage> {
  const bundle = await get<Bundle>(path);
  const next = bundle.link?.find((l) => l.relation === 'next')?.url ?? null;
  let nextPath: string | null = null;
  if (next) {
    const url = new URL(next, window.location.origin);
    nextPath = url.pathname + url.search;
  }
  return { rows: (bundle.entry ?? []).map((x) => rowOf(x.resource)), next: nextPath };
}

export interface BreachScope {
  account: string;
  address?: string;
  since?: string;
  until?: string;
}

/** The query of the breach endpoints for `scope` in `format`. */
export function breachQuery(scope: BreachScope, format: string): string {
  return query({
    account: scope.account,
    address: scope.address,
    since: scope.since ? new Date(scope.since).toISOString() : undefined,
    until: scope.until ? new Date(scope.until).toISOString() : undefined,
    format,
  });
}

export interface BreachReport {
  generated_at: string;
  audit_log: {
    verified: boolean;
    entries: number;
    signed_heads: number;
    entries_under_signed_head: number;
    root: string;
  };
  summary: {
    requests_in_scope: number;
    disclosures: number;
    patients: number;
    patients_reached_outside_care: number;
    patients_with_health_data: number;
    patients_with_changed_records: number;
  };
  accounts: {
    id: string;
    username: string;
    role: string;
    status: string;
    requests: number;
    refused: number;
    first: string;
    last: string;
  }[];
  categories: { category: string; label: string; health_data: boolean; patients: number; accesses: number }[];
  measures: { time: string; account: string; action: string; by: string; status: number }[];
}

export function breachReport(scope: BreachScope): Promise<BreachReport> {
  return get<BreachReport>(`/security/breach-report${breachQuery(scope, 'json')}`);
}

/** An account that reached some of the patients looked for, with how often. */
export interface TouchingAccount {
  account: string;
  username: string;
  entries: number;
  patients: number;
}

// What AccountsThatTouched (src/incident/touched_accounts.cc, `medvault contain
// --touched-patients-file`) counts: successful FHIR reads, searches and writes.
const FHIR_INTERACTIONS = new Set(['read', 'vread', 'history', 'search', 'create', 'update', 'delete']);
/** Pages of 100 entries read per patient at most; past that the list says it is partial. */
export const MAX_PAGES_PER_PATIENT = 50;

/**
 * The accounts whose successful FHIR interactions named any of `patients` (ids, with or
 * without "Patient/") within the window, from the audit search by patient, as the
 * command line's --touched-patients-file finds them. `partial` when a patient's trail
 * was longer than MAX_PAGES_PER_PATIENT pages.
 */
export async function accountsThatTouched(
  patients: string[],
  window: { from?: string; until?: string },
): Promise<{ accounts: TouchingAccount[]; partial: boolean }> {
  const found = new Map<string, { username: string; entries: number; patients: Set<string> }>();
  let partial = false;
  for (const patient of patients) {
    let path: string | null = auditSearchPath({ ...window, patient, outcome: '0', count: 100 });
    let pages = 0;
    while (path) {
      if (++pages > MAX_PAGES_PER_PATIENT) {
        partial = true;
        break;
      }
      const page: AuditPage = await searchAudit(path);
      for (const row of page.rows) {
        if (!row.account || !FHIR_INTERACTIONS.has(row.interaction)) continue;
        const entry = found.get(row.account) ?? { username: row.username, entries: 0, patients: new Set<string>() };
        entry.entries++;
        entry.patients.add(patient);
        found.set(row.account, entry);
      }
      path = page.next;
    }
  }
  const accounts = [...found.entries()].map(([account, e]) => ({
    account,
    username: e.username,
    entries: e.entries,
    patients: e.patients.size,
  }));
  accounts.sort((a, b) => b.patients - a.patients || b.entries - a.entries || a.username.localeCompare(b.username));
  return { accounts, partial };
}

/** Patient ids from a pasted list: one per line or separated by commas or spaces, "Patient/" allowed. */
export function patientIdsOf(text: string): string[] {
  const ids = text
    .split(/[\s,;]+/)
    .map((x) => x.trim().replace(/^Patient\//, ''))
    .filter((x) => x !== '');
  return [...new Set(ids)];
}
