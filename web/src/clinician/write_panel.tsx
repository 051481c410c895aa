// Writing into the record: a note, an encounter, an observation or a prescription. The
// note being typed is kept as a draft (shell/drafts.ts) on every keystroke, so that an
// idle timeout or a lost session does not lose it; it is sent only by the Save button,
// inside a session, and dropped once the server has it.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { create } from '../api/fhir';
import type { Resource } from '../api/fhir_types';
import { t, type MessageKey } from '../i18n';
import { dropDraft, loadDraft, MAX_CHARS, saveDraft } from '../shell/drafts';
import { Field, Submit } from '../shell/field';
import { useMe } from '../shell/session';
import { errorText } from './error_notice';
import { MEASURES, newEncounter, newNote, newObservation, newPrescription } from './resources_new';

type Kind = 'note' | 'encounter' | 'observation' | 'prescription';
const KINDS: { kind: Kind; label: MessageKey }[] = [
  { kind: 'note', label: 'write.note' },
  { kind: 'encounter', label: 'write.encounter' },
  { kind: 'observation', label: 'write.observation' },
  { kind: 'prescription', label: 'write.prescription' },
];

export function WritePanel(props: { patientId: string; onWritten: () => void }) {
  const me = useMe();
  const [kind, setKind] = useState<Kind>('note');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');

  const [title, setTitle] = useState(() => t('write.noteTitleDefault'));
  const [note, setNote] = useState(() => loadDraft(me.id, props.patientId));
  const [reason, setReason] = useState('');
  const [encounterClass, setEncounterClass] = useState<'AMB' | 'HH' | 'VR'>('AMB');
  const [measure, setMeasure] = useState(MEASURES[0].loinc);
  const [value, setValue] = useState('');
  const [medication, setMedication] = useState('');
  const [dosage, setDosage] = useState('');

  const typeNote = (text: string) => {
    setNote(text);
    saveDraft(me.id, props.patientId, text);
  };

  const build = (): Resource | string => {
    switch (kind) {
      case 'note':
        return note.trim()
          ? newNote(me, props.patientId, title.trim() || t('write.noteTitleDefault'), note)
          : t('write.noteEmpty');
      case 'encounter':
        return newEncounter(me, props.patientId, reason.trim(), encounterClass);
      case 'observation': {
        const number = Number(value.replace(',', '.'));
        if (!value.trim() || !Number.isFinite(number)) return t('write.valueInvalid');
        return newObservation(
          me,
          props.patientId,
          MEASURES.find((m) => m.loinc === measure)!,
          number,
        );
      }
      case 'prescription':
        return medication.trim()
          ? newPrescription(me, props.patientId, medication.trim(), dosage.trim())
          : t('write.medicationEmpty');
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const resource = build();
    if (typeof resource === 'string') {
      setError(resource);
      return;
    }
    setBusy(true);
    setError('');
    setDone('');
    try {
      await create(resource);
      if (kind === 'note') {
        dropDraft(me.id, props.patientId);
        setNote('');
      }
      setReason('');
      setValue('');
      setMedication('');
      setDosage('');
      setDone(t('write.saved'));
      props.onWritten();
    } catch (err) {
      // The draft stays: after logging in again it is still here.
      setError(err instanceof ApiError ? errorText(err) : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="write" aria-labelledby="write-title">
      <h2 id="write-title">{t('write.title')}</h2>
      <div class="tabs" role="group" aria-label={t('write.kind')}>
        {KINDS.map((k) => (
          <button
            key={k.kind}
            type="button"
            aria-pressed={kind === k.kind}
            onClick={() => {
              setKind(k.kind);
              setError('');
              setDone('');
            }}
          >
            {t(k.label)}
          </button>
        ))}
      </div>
      <form onSubmit={submit}>
        {kind === 'note' && (
          <>
            <Field id="note-title" label={t('write.noteTitle')} value={title} onValue={setTitle} />
            <label for="note-text">{t('write.noteText')}</label>
            <textarea
              id="note-text"
              name="note-text"
              maxLength={MAX_CHARS}
              value={note}
              onInput={(e) => typeNote(e.currentTarget.value)}
            />
            <p class="muted">{t('write.draftHelp')}</p>
          </>
        )}
        {kind === 'encounter' && (
          <>
            <label for="encounter-class">{t('write.encounterClass')}</label>
            <select
              id="encounter-class"
              value={encounterClass}
              onChange={(e) => setEncounterClass(e.currentTarget.value as 'AMB' | 'HH' | 'VR')}
            >
              <option value="AMB">{t('write.classAmb')}</option>
              <option value="HH">{t('write.classHome')}</option>
              <option value="VR">{t('write.classVirtual')}</option>
            </select>
            <Field id="encounter-reason" label={t('write.reason')} value={reason} onValue={setReason} />
          </>
        )}
        {kind === 'observation' && (
          <>
            <label for="observation-measure">{t('write.measure')}</label>
            <select id="observation-measure" value={measure} onChange={(e) => setMeasure(e.currentTarget.value)}>
              {MEASURES.map((m) => (
                <option key={m.loinc} value={m.loinc}>
                  {t(`measure.${m.loinc}` as MessageKey)} ({m.unit})
                </option>
              ))}
            </select>
            <Field
              id="observation-value"
              label={t('write.value')}
              inputMode="decimal"
              value={value}
              onValue={setValue}
            />
          </>
        )}
        {kind === 'prescription' && (
          <>
            <Field
              id="prescription-medication"
              label={t('write.medication')}
              value={medication}
              onValue={setMedication}
            />
            <Field id="prescription-dosage" label={t('write.dosage')} value={dosage} onValue={setDosage} />
          </>
        )}
        {done && (
          <p class="ok" role="status">
            {done}
          </p>
        )}
        <Submit label={t('app.save')} busy={busy} error={error} />
      </form>
    </section>
  );
}
