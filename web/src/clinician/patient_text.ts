// How a patient's identity reads on screen.
import type { CodeableConcept, Patient } from '../api/fhir_types';
import { formatDate, t } from '../i18n';

export const NIR_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.8';
export const ADMINISTRATIVE_COMMENT_URL = 'https://medvault.example/fhir/StructureDefinition/administrative-comment';

export function patientName(patient: Patient): string {
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
  if (!name) return t('patient.unnamed');
  if (name.text) return name.text;
  return [name.family?.toUpperCase(), ...(name.given ?? [])].filter(Boolean).join(' ');
}

export function patientSummary(patient: Patient): string {
  const parts = [formatDate(patient.birthDate)];
  if (patient.gender) parts.push(t(genderKey(patient.gender)));
  return parts.filter(Boolean).join(' · ');
}

function genderKey(gender: string) {
  switch (gender) {
    case 'female':
      return 'patient.female' as const;
    case 'male':
      return 'patient.male' as const;
    default:
      return 'patient.otherGender' as const;
  }
}

export function nir(patient: Patient): string {
  return patient.identifier?.find((i) => i.system === NIR_SYSTEM)?.value ?? patient.identifier?.[0]?.value ?? '';
}

export function administrativeComment(patient: Patient): string {
  return patient.extension?.find((e) => e.url === ADMINISTRATIVE_COMMENT_URL)?.valueString ?? '';
}

/** The label of a coded concept: its text, else its first coding's display or code. */
export function conceptText(concept: CodeableConcept | undefined): string {
  if (!concept) return '';
  return concept.text ?? concept.coding?.[0]?.display ?? concept.coding?.[0]?.code ?? '';
}

export function idOf(reference: string | undefined): string {
  return reference ? reference.slice(reference.lastIndexOf('/') + 1) : '';
}
