// Audit search (GET /fhir/AuditEvent) beside the log's verification status: the latest
// signed tree head and what the server's self-check found about it (its signature and
// its root against the stored tree). Each row says whether its entry is already under
// that signed head.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { formatDateTime, hasMessage, type MessageKey, t, valueLabel } from '../i18n';
import { reasonTextOf } from '../i18n/error_text';
import type { RouteProps } from '../shell/router';
import {
  auditSearchPath,
  searchAudit,
  selfCheck,
  treeHead,
  type AuditCriteria,
  type AuditRow,
  type Finding,
  type TreeHead,
} from './api';
import './console.css';
import { ErrorLine, HeadRow, errorText } from './parts';

export function AuditScreen(props: RouteProps) {
  const [criteria, setCriteria] = useState<AuditCriteria>({
    agentName: props.query.get('agent') ?? '',
    patient: props.query.get('patient') ?? '',
  });
  const [rows, setRows] = useState<AuditRow[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [head, setHead] = useState<TreeHead | null | undefined>(undefined);
  const [headError, setHeadError] = useState('');
  useEffect(() => {
    treeHead()
      .then(setHead)
      .catch((e) => (e instanceof ApiError && e.kind === 'not_found' ? setHead(null) : setHeadError(errorText(e))));
  }, []);

  const run = async (path: string, append: boolean) => {
    setBusy(true);
    setError('');
    try {
      const page = await searchAudit(path);
      setRows((current) => (append && current ? [...current, ...page.rows] : page.rows));
      setNext(page.next);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void run(auditSearchPath(criteria), false);
  }, []);
  const set = (key: keyof AuditCriteria) => (e: Event) =>
    setCriteria({ ...criteria, [key]: (e.currentTarget as HTMLInputElement).value });

  return (
    <section class="console" aria-labelledby="audit-title">
      <h1 id="audit-title">{t('console.audit.title')}</h1>
      <Verification head={head} headError={headError} />
      <form
        class="search-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(auditSearchPath(criteria), false);
        }}
      >
        <span>
          <label for="audit-agent">{t('console.audit.agent')}</label>
          <input id="audit-agent" value={criteria.agentName} onInput={set('agentName')} autocomplete="off" />
        </span>
        <span>
          <label for="audit-patient">{t('console.audit.patient')}</label>
          <input id="audit-patient" value={criteria.patient} onInput={set('patient')} autocomplete="off" />
        </span>
        <span>
          <label for="audit-from">{t('console.audit.from')}</label>
          <input id="audit-from" type="datetime-local" value={criteria.from} onInput={set('from')} />
        </span>
        <span>
          <label for="audit-until">{t('console.audit.until')}</label>
          <input id="audit-until" type="datetime-local" value={criteria.until} onInput={set('until')} />
        </span>
        <span>
          <label for="audit-outcome">{t('console.audit.outcome')}</label>
          <select id="audit-outcome" value={criteria.outcome ?? ''} onChange={set('outcome')}>
            <option value="">{t('console.audit.outcomeAny')}</option>
            {['0', '4', '8', '12'].map((code) => (
              <option key={code} value={code}>
                {t(`console.audit.outcome${code}` as MessageKey)}
              </option>
            ))}
          </select>
        </span>
        <span class="submit">
          <button type="submit" class="primary" disabled={busy}>
            {t('console.audit.search')}
          </button>
        </span>
      </form>
      <ErrorLine message={error} />
      {rows && rows.length === 0 && <p class="muted">{t('console.audit.none')}</p>}
      {rows && rows.length > 0 && <AuditTable rows={rows} covered={head?.size ?? 0} />}
      {next && (
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => run(next, true)}>
            {t('console.audit.more')}
          </button>
        </div>
      )}
    </section>
  );
}

// `covered`: the size of the latest signed head; an entry numbered up to it is under it.
function AuditTable(props: { rows: AuditRow[]; covered: number }) {
  const covered = props.covered;
  return (
    <table class="audit-table">
      <HeadRow
        labels={[
          t('console.audit.entry'),
          t('console.audit.time'),
          t('console.audit.who'),
          t('console.audit.what'),
          t('console.audit.patient'),
          t('console.audit.outcome'),
          t('console.activity.address'),
          t('console.audit.underHead'),
        ]}
      />
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.id}>
            <td>
              <code>{r.id}</code>
            </td>
            <td>{formatDateTime(r.recorded)}</td>
            <td>{r.username}</td>
            <td>
              {valueLabel('interaction', r.interaction)} {r.target && <code>{r.target}</code>}
            </td>
            <td>{r.patient && <code>{r.patient}</code>}</td>
            <td>{outcomeText(r)}</td>
            <td>{r.address}</td>
            <td>{r.seq <= covered ? t('console.audit.yes') : t('console.audit.notYet')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Verification(props: { head: TreeHead | null | undefined; headError: string }) {
  const head = props.head;
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [checkError, setError] = useState('');
  const error = props.headError || checkError;
  useEffect(() => {
    selfCheck()
      .then((report) => setFindings(report.findings.filter((f) => f.check === 'audit-log')))
      .catch((e) => setError(errorText(e)));
  }, []);
  const worst = findings?.some((f) => f.severity === 'high' || f.severity === 'medium');
  return (
    <section class={`verification ${worst ? 'bad' : findings ? 'good' : ''}`} aria-labelledby="verification-title">
      <h2 id="verification-title">{t('console.audit.verification')}</h2>
      <ErrorLine message={error} />
      {findings === null && !error && <p>{t('console.audit.checking')}</p>}
      <ul data-testid="verification">
        {findings?.map((f, i) => (
          <li key={i} class={`finding-${f.severity}`}>
            <span class={`badge badge-${f.severity === 'info' ? 'ok' : f.severity}`}>
              {t(`finding.${f.severity}` as MessageKey)}
            </span>{' '}
            {f.message}
          </li>
        ))}
      </ul>
      <p class="muted">{t('console.audit.verifyHelp')}</p>
      <h3>{t('console.audit.head')}</h3>
      {head === null && <p>{t('console.audit.noHead')}</p>}
      {head && (
        <dl class="facts">
          <dt>{t('console.audit.headSize')}</dt>
          <dd>{head.size}</dd>
          <dt>{t('console.audit.headTime')}</dt>
          <dd>{formatDateTime(head.timestamp)}</dd>
          <dt>{t('console.audit.headRoot')}</dt>
          <dd>
            <code class="hash">{head.root}</code>
          </dd>
          <dt>{t('console.audit.headKey')}</dt>
          <dd>
            <code class="hash">{head.key_id}</code>
          </dd>
        </dl>
      )}
    </section>
  );
}

/**
 * The entry's outcome in the user's language: the server writes "success (HTTP 200)",
 * "denied (HTTP 403): <detail>"…; the word comes from the outcome code, a refusal's
 * detail gets its label when it has one, other details stay as recorded.
 */
function outcomeText(r: AuditRow): string {
  const parsed = /^[\w-]+ \(HTTP (\d+)\)(?:: ([\s\S]*))?$/.exec(r.outcomeDesc);
  if (!parsed || !hasMessage(`console.audit.outcome${r.outcome}`)) return r.outcomeDesc;
  const head = `${t(`console.audit.outcome${r.outcome}` as MessageKey)} (HTTP ${parsed[1]})`;
  return parsed[2] ? t('console.audit.outcomeDetail', { outcome: head, detail: reasonTextOf(parsed[2]) }) : head;
}
