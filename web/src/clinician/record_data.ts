// A patient's clinical record as the file screen shows it: loaded in one go (each
// type searched in the patient's compartment), then arranged (timeline, vital series).
import { ofPatient } from '../api/fhir';
import type {
  AllergyIntolerance,
  Condition,
  DocumentReference,
  Encounter,
  MedicationRequest,
  Observation,
} from '../api/fhir_types';
import { conceptText } from './patient_text';
import type { Point } from './vital_chart';

export interface ClinicalRecord {
  encounters: Encounter[];
  observations: Observation[];
  conditions: Condition[];
  allergies: AllergyIntolerance[];
  prescriptions: MedicationRequest[];
  notes: DocumentReference[];
}

export async function loadRecord(patientId: string): Promise<ClinicalRecord> {
  const [encounters, observations, conditions, allergies, prescriptions, notes] = await Promise.all([
    ofPatient<Encounter>('Encounter', patientId, { _sort: '-date' }),
    ofPatient<Observation>('Observation', patientId, { _sort: '-date' }),
    ofPatient<Condition>('Condition', patientId),
    ofPatient<AllergyIntolerance>('AllergyIntolerance', patientId),
    ofPatient<MedicationRequest>('MedicationRequest', patientId),
    ofPatient<DocumentReference>('DocumentReference', patientId, { _sort: '-date' }),
  ]);
  return { encounters, observations, conditions, allergies, prescriptions, notes };
}

export function decodeText(base64: string | undefined): string {
  if (!base64) return '';
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return '';
  }
}

export function encodeText(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export interface TimelineItem {
  key: string;
  date: string;
  kind: 'encounter' | 'note';
  title: string;
  text: string;
}

/** Encounters and notes, newest first. */
export function timeline(record: ClinicalRecord): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const e of record.encounters) {
    items.push({
      key: `Encounter/${e.id}`,
      date: e.period?.start ?? e.meta?.lastUpdated ?? '',
      kind: 'encounter',
      title: (e.reasonCode ?? []).map(conceptText).filter(Boolean).join(', '),
      text: e.class?.display ?? e.class?.code ?? '',
    });
  }
  for (const n of record.notes) {
    const attachment = n.content?.[0]?.attachment;
    items.push({
      key: `DocumentReference/${n.id}`,
      date: n.date ?? n.context?.period?.start ?? n.meta?.lastUpdated ?? '',
      kind: 'note',
      title: n.description ?? attachment?.title ?? conceptText(n.type),
      text: decodeText(attachment?.data),
    });
  }
  return items.sort((a, b) => b.date.localeCompare(a.date));
}

export interface VitalSeries {
  code: string;
  label: string;
  unit: string;
  points: Point[];
}

/** Numeric series by LOINC code, from observations and their components (blood pressure). */
export function vitalSeries(observations: Observation[]): VitalSeries[] {
  const series = new Map<string, VitalSeries>();
  const add = (
    code: string | undefined,
    label: string,
    unit: string | undefined,
    value: number | undefined,
    when: string | undefined,
  ) => {
    if (!code || value === undefined || !when) return;
    const time = Date.parse(when);
    if (Number.isNaN(time)) return;
    let s = series.get(code);
    if (!s) {
      s = { code, label, unit: unit ?? '', points: [] };
      series.set(code, s);
    }
    s.points.push({ time, value });
  };
  for (const o of observations) {
    add(
      o.code.coding?.[0]?.code,
      conceptText(o.code),
      o.valueQuantity?.unit,
      o.valueQuantity?.value,
      o.effectiveDateTime,
    );
    for (const c of o.component ?? [])
      add(
        c.code.coding?.[0]?.code,
        conceptText(c.code),
        c.valueQuantity?.unit,
        c.valueQuantity?.value,
        o.effectiveDateTime,
      );
  }
  return [...series.values()].filter((s) => s.points.length > 0).sort((a, b) => b.points.length - a.points.length);
}

export function observationValue(o: Observation): string {
  if (o.valueQuantity?.value !== undefined) return `${o.valueQuantity.value} ${o.valueQuantity.unit ?? ''}`.trim();
  if (o.valueString) return o.valueString;
  const parts = (o.component ?? [])
    .filter((c) => c.valueQuantity?.value !== undefined)
    .map((c) => String(c.valueQuantity!.value));
  if (parts.length > 0) return `${parts.join('/')} ${o.component?.[0]?.valueQuantity?.unit ?? ''}`.trim();
  return '';
}
