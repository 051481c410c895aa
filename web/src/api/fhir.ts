// FHIR requests (/fhir). Searches of clinical types are scoped to one patient (the
// server searches them within the patient's compartment).
import { get, query, request } from './client';
import type { Bundle, Resource } from './fhir_types';

export const FHIR_JSON = 'application/fhir+json';
export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const REDACTED_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue';

export type SearchParams = Record<string, string | number | undefined>;

export function resources<T extends Resource>(bundle: Bundle<T>): T[] {
  return (bundle.entry ?? []).map((e) => e.resource);
}

export async function search<T extends Resource>(type: T['resourceType'], params: SearchParams): Promise<Bundle<T>> {
  return get<Bundle<T>>(`/fhir/${type}${query(params)}`);
}

export async function read<T extends Resource>(type: T['resourceType'], id: string): Promise<T> {
  return get<T>(`/fhir/${type}/${encodeURIComponent(id)}`);
}

/** Creates `resource` and returns it as the server stored it (id, meta). */
export async function create<T extends Resource>(resource: T): Promise<T> {
  const r = await request<T>(`/fhir/${resource.resourceType}`, {
    method: 'POST',
    body: resource,
    contentType: FHIR_JSON,
  });
  return r.body;
}

/** Every resource of `type` in one patient's record (up to the server's page size, 100). */
export async function ofPatient<T extends Resource>(
  type: T['resourceType'],
  patientId: string,
  params: SearchParams = {},
): Promise<T[]> {
  const bundle = await search<T>(type, { patient: `Patient/${patientId}`, _count: 100, ...params });
  return resources(bundle);
}

/** A minimal-identity directory entry (a patient outside the caller's care scope). */
export function isRedacted(resource: Resource): boolean {
  return (resource.meta?.security ?? []).some((c) => c.system === REDACTED_SYSTEM && c.code === 'REDACTED');
}

/** 'R' (restricted) or 'V' (very restricted) when the patient is labelled confidential. */
export function confidentiality(resource: Resource): 'R' | 'V' | null {
  for (const c of resource.meta?.security ?? []) {
    if (c.system === CONFIDENTIALITY_SYSTEM && (c.code === 'R' || c.code === 'V')) return c.code;
  }
  return null;
}
