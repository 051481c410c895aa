// The resources the clinician writes, built from a form's values. Codes follow what the
// rest of the record uses (LOINC for notes and measures, HL7 ActCode for encounter
// classes, UCUM units).
import type { Me } from '../api/auth';
import type { DocumentReference, Encounter, MedicationRequest, Observation } from '../api/fhir_types';
import { encodeText } from './record_data';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

export interface Measure {
  loinc: string;
  display: string;
  unit: string;
}

/** The vital signs the observation form offers (as the demo's records code them). */
export const MEASURES: readonly Measure[] = [
  { loinc: '29463-7', display: 'Body weight', unit: 'kg' },
  { loinc: '8302-2', display: 'Body height', unit: 'cm' },
  { loinc: '8480-6', display: 'Systolic blood pressure', unit: 'mm[Hg]' },
  { loinc: '8462-4', display: 'Diastolic blood pressure', unit: 'mm[Hg]' },
  { loinc: '8867-4', display: 'Heart rate', unit: '/min' },
  { loinc: '8310-5', display: 'Body temperature', unit: 'Cel' },
  { loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%' },
];

function nowInstant(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const patientRef = (patientId: string) => ({ reference: `Patient/${patientId}` });
const practitionerRef = (me: Me) => ({ reference: `Practitioner/${me.practitioner}` });

export function newNote(me: Me, patientId: string, title: string, text: string): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: LOINC, code: '11506-3', display: 'Progress note' }] },
    subject: patientRef(patientId),
    date: nowInstant(),
    author: [practitionerRef(me)],
    custodian: { reference: `Organization/${me.organization}` },
    description: title,
    content: [{ attachment: { contentType: 'text/plain; charset=UTF-8', data: encodeText(text), title } }],
  };
}

export function newEncounter(me: Me, patientId: string, reason: string, kind: 'AMB' | 'HH' | 'VR'): Encounter {
  return {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: ACT_CODE, code: kind },
    subject: patientRef(patientId),
    participant: [{ individual: practitionerRef(me) }],
    period: { start: nowInstant() },
    reasonCode: reason ? [{ text: reason }] : undefined,
    serviceProvider: { reference: `Organization/${me.organization}` },
  };
}

export function newObservation(me: Me, patientId: string, measure: Measure, value: number): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs' }] }],
    code: { coding: [{ system: LOINC, code: measure.loinc, display: measure.display }] },
    subject: patientRef(patientId),
    effectiveDateTime: nowInstant(),
    performer: [practitionerRef(me)],
    valueQuantity: { value, unit: measure.unit, system: UCUM, code: measure.unit },
  };
}

export function newPrescription(me: Me, patientId: string, medication: string, dosage: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: medication },
    subject: patientRef(patientId),
    authoredOn: today(),
    requester: practitionerRef(me),
    dosageInstruction: dosage ? [{ text: dosage }] : undefined,
  };
}
