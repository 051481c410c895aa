// A table of patients, each linking to its file. Directory entries (minimal identity of
// a patient outside the caller's care) are marked; opening one asks to break the glass.
import { confidentiality, isRedacted } from '../api/fhir';
import type { Patient } from '../api/fhir_types';
import { t } from '../i18n';
import { href } from '../shell/router';
import { nir, patientName, patientSummary } from './patient_text';

export function PatientList(props: { patients: Patient[]; caption: string; showNir?: boolean }) {
  if (props.patients.length === 0) return <p class="muted">{t('patients.none')}</p>;
  return (
    <table class="patients">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('patient.name')}</th>
          <th scope="col">{t('patient.birthGender')}</th>
          {props.showNir && <th scope="col">{t('patient.nir')}</th>}
          <th scope="col">{t('patient.standing')}</th>
        </tr>
      </thead>
      <tbody>
        {props.patients.map((p) => (
          <tr key={p.id}>
            <td>
              <a href={href(`/patients/${encodeURIComponent(p.id ?? '')}`)}>{patientName(p)}</a>
            </td>
            <td>{patientSummary(p)}</td>
            {props.showNir && <td>{isRedacted(p) ? '' : nir(p)}</td>}
            <td>
              {isRedacted(p) && <span class="tag outside">{t('patients.outsideCare')}</span>}
              {confidentiality(p) && <span class="tag confidential">{t('patient.confidential')}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
