// The clinical part of the patient file.
import { useState } from 'preact/hooks';
import { formatDate, formatDateTime, t, type MessageKey } from '../i18n';
import { ErrorNotice } from './error_notice';
import { conceptText } from './patient_text';
import { loadRecord, observationValue, timeline, vitalSeries, type ClinicalRecord } from './record_data';
import { useLoad } from './use_load';
import { VitalChart } from './vital_chart';
import { WritePanel } from './write_panel';

export function ClinicalRecordView(props: { patientId: string }) {
  const record = useLoad(() => loadRecord(props.patientId), [props.patientId]);
  return (
    <>
      <WritePanel patientId={props.patientId} onWritten={record.reload} />
      {record.error && <ErrorNotice error={record.error} onRetry={record.reload} />}
      {record.loading && !record.data && <p>{t('app.loading')}</p>}
      {record.data && <RecordSections record={record.data} />}
    </>
  );
}

function RecordSections(props: { record: ClinicalRecord }) {
  const r = props.record;
  return (
    <div class="record">
      <div class="record-main">
        <Timeline record={r} />
      </div>
      <div class="record-side">
        <Vitals record={r} />
        <Section id="conditions" title={t('record.conditions')} empty={r.conditions.length === 0}>
          <ul>
            {r.conditions.map((c) => (
              <li key={c.id}>
                {conceptText(c.code)}{' '}
                <span class="muted">
                  {formatDate(c.onsetDateTime ?? c.recordedDate)} ·{' '}
                  {codeLabel(CONDITION_STATUSES, conceptText(c.clinicalStatus))}
                </span>
              </li>
            ))}
          </ul>
        </Section>
        <Section id="allergies" title={t('record.allergies')} empty={r.allergies.length === 0}>
          <ul>
            {r.allergies.map((a) => (
              <li key={a.id} class={a.criticality === 'high' ? 'critical' : undefined}>
                {conceptText(a.code)}{' '}
                <span class="muted">
                  {(a.reaction ?? []).flatMap((x) => (x.manifestation ?? []).map(conceptText)).join(', ')}
                </span>
              </li>
            ))}
          </ul>
        </Section>
        <Section id="prescriptions" title={t('record.prescriptions')} empty={r.prescriptions.length === 0}>
          <ul>
            {[...r.prescriptions]
              .sort((a, b) => (b.authoredOn ?? '').localeCompare(a.authoredOn ?? ''))
              .map((m) => (
                <li key={m.id}>
                  {conceptText(m.medicationCodeableConcept)}{' '}
                  <span class="muted">
                    {formatDate(m.authoredOn)} · {t(m.status === 'active' ? 'record.active' : 'record.ended')}
                    {m.dosageInstruction?.[0]?.text ? ` · ${m.dosageInstruction[0].text}` : ''}
                  </span>
                </li>
              ))}
          </ul>
        </Section>
      </div>
    </div>
  );
}

function Section(props: { id: string; title: string; empty: boolean; children: preact.ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.empty ? <p class="muted">{t('record.none')}</p> : props.children}
    </section>
  );
}

function Timeline(props: { record: ClinicalRecord }) {
  const items = timeline(props.record);
  return (
    <Section id="timeline" title={t('record.timeline')} empty={items.length === 0}>
      <ol class="timeline">
        {items.map((item) => (
          <li key={item.key} class={item.kind}>
            <p class="when">
              <time dateTime={item.date}>{formatDateTime(item.date)}</time> ·{' '}
              {t(item.kind === 'note' ? 'record.note' : 'record.encounter')}
            </p>
            {item.title && <p class="what">{item.title}</p>}
            {item.text && (
              <p class="text">{item.kind === 'encounter' ? codeLabel(ENCOUNTER_CLASSES, item.text) : item.text}</p>
            )}
          </li>
        ))}
      </ol>
    </Section>
  );
}

const ENCOUNTER_CLASSES: Record<string, MessageKey> = {
  AMB: 'write.classAmb',
  HH: 'write.classHome',
  VR: 'write.classVirtual',
};

const CONDITION_STATUSES: Record<string, MessageKey> = {
  active: 'record.conditionActive',
  resolved: 'record.conditionResolved',
  inactive: 'record.conditionInactive',
};

/** The label of a code the app knows, else the code as it is. */
function codeLabel(labels: Record<string, MessageKey>, code: string): string {
  const key = labels[code];
  return key ? t(key) : code;
}

function Vitals(props: { record: ClinicalRecord }) {
  const series = vitalSeries(props.record.observations);
  const [code, setCode] = useState('');
  const chosen = series.find((s) => s.code === code) ?? series[0];
  return (
    <Section id="vitals" title={t('record.observations')} empty={props.record.observations.length === 0}>
      {chosen && (
        <>
          <label for="vital-choice">{t('record.chartOf')}</label>
          <select id="vital-choice" value={chosen.code} onChange={(e) => setCode(e.currentTarget.value)}>
            {series.map((s) => (
              <option key={s.code} value={s.code}>
                {s.label} ({s.points.length})
              </option>
            ))}
          </select>
          <VitalChart points={chosen.points} label={chosen.label} unit={chosen.unit} />
        </>
      )}
      <table class="observations">
        <caption>{t('record.latestObservations')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('record.date')}</th>
            <th scope="col">{t('record.measure')}</th>
            <th scope="col">{t('record.value')}</th>
          </tr>
        </thead>
        <tbody>
          {props.record.observations.slice(0, 12).map((o) => (
            <tr key={o.id}>
              <td>{formatDate(o.effectiveDateTime)}</td>
              <td>{conceptText(o.code)}</td>
              <td>{observationValue(o)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
