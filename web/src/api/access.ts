// Break-the-glass grants (/access).
import { get, post } from './client';

/** The purposes the server accepts (HL7 v3 PurposeOfUse). */
export const PURPOSES = ['ETREAT', 'TREAT', 'PATRQT'] as const;
export type Purpose = (typeof PURPOSES)[number];

export interface Grant {
  id: string;
  patient: string;
  purpose: Purpose;
  reason: string;
  created_at: string;
  expires_at: string;
}

export async function breakGlass(patient: string, purpose: Purpose, text: string): Promise<Grant> {
  return post<Grant>('/access/break-glass', { patient, reason: { code: purpose, text } });
}

export async function grants(): Promise<Grant[]> {
  return (await get<{ grants: Grant[] }>('/access/grants')).grants;
}
