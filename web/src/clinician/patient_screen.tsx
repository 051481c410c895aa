// The patient file: identity and contact, the administrative comment, and for
// physicians and nurses the clinical record (timeline of encounters and notes, a vital
// sign's chart, observations, conditions, allergies, prescriptions) and the forms that
// write into it. Secretaries see the administrative part only. A patient outside the
// user's care is refused by the server; physicians and nurses may break the glass.
import { read } from '../api/fhir';
import { confidentiality } from '../api/fhir';
import type { Patient } from '../api/fhir_types';
import { t } from '../i18n';
import type { RouteProps } from '../shell/router';
import { useMe } from '../shell/session';
import { NotInCare } from './break_glass';
import { ClinicalRecordView } from './clinical_record';
import { ErrorNotice, errorText } from './error_notice';
import { administrativeComment, nir, patientName, patientSummary } from './patient_text';
import { CARE_ROLES } from './roles';
import { useLoad } from './use_load';

export function PatientScreen(props: RouteProps) {
  const me = useMe();
  const id = props.params.id;
  const patient = useLoad(() => read<Patient>('Patient', id), [id]);
  const care = CARE_ROLES.includes(me.role);

  if (patient.loading && !patient.data) return <p>{t('app.loading')}</p>;
  if (patient.error) {
    if (patient.error.kind === 'forbidden' && care)
      return <NotInCare patientId={id} message={errorText(patient.error)} onGranted={patient.reload} />;
    return <ErrorNotice error={patient.error} onRetry={patient.reload} />;
  }
  if (!patient.data) return null;
  const p = patient.data;
  const label = confidentiality(p);
  return (
    <article class="patient" aria-labelledby="patient-title">
      {label && (
        <p class="banner confidential" role="note">
          {t(label === 'V' ? 'patient.veryRestricted' : 'patient.restricted')}
        </p>
      )}
      <header class="patient-head">
        <h1 id="patient-title">{patientName(p)}</h1>
        <p>{patientSummary(p)}</p>
      </header>
      <IdentityCard patient={p} />
      {care ? <ClinicalRecordView patientId={id} /> : <p class="muted">{t('patient.administrativeOnly')}</p>}
    </article>
  );
}

function IdentityCard(props: { patient: Patient }) {
  const p = props.patient;
  const comment = administrativeComment(p);
  const address = p.address?.[0];
  return (
    <section class="card identity" aria-labelledby="identity-title">
      <h2 id="identity-title">{t('patient.identity')}</h2>
      <dl>
        <dt>{t('patient.nir')}</dt>
        <dd>{nir(p) || '—'}</dd>
        <dt>{t('patient.phone')}</dt>
        <dd>
          {p.telecom
            ?.filter((c) => c.system === 'phone')
            .map((c) => c.value)
            .join(', ') || '—'}
        </dd>
        <dt>{t('patient.email')}</dt>
        <dd>
          {p.telecom
            ?.filter((c) => c.system === 'email')
            .map((c) => c.value)
            .join(', ') || '—'}
        </dd>
        <dt>{t('patient.address')}</dt>
        <dd>
          {address
            ? [...(address.line ?? []), [address.postalCode, address.city].filter(Boolean).join(' ')].join(', ')
            : '—'}
        </dd>
      </dl>
      {comment && (
        <>
          <h3>{t('patient.comment')}</h3>
          <p class="comment">{comment}</p>
        </>
      )}
    </section>
  );
}
