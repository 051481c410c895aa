// The dictionaries and the error labels, checked under Node (npm run unit; make web-test
// runs it before the browser test): both languages have every key, with text; every
// error code the server sends and every situation the app tells apart has a label in
// both; and the server's sources still hold the codes and the texts the app relies on.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { CLIENT_CODES, ERROR_CODES, ERROR_REASONS, errorLabel, errorLabelKeys } from '../src/api/error_reasons';
import { en } from '../src/i18n/en';
import { fr } from '../src/i18n/fr';

// The repository, from web/ where npm runs.
const repo = resolve(process.cwd(), '..');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return /\.(cc|h)$/.test(name) ? [path] : [];
  });
}

const serverText = sourcesUnder(join(repo, 'src'))
  .map((path) => readFileSync(path, 'utf8'))
  .join('\n');

/** The string literals a C++ function's switch returns (`case …: return "x";`). */
function returnedNames(file: string, signature: string): string[] {
  const text = readFileSync(join(repo, file), 'utf8');
  const start = text.indexOf(signature);
  assert.ok(start >= 0, `${signature} in ${file}`);
  const body = text.slice(start, text.indexOf('\n}\n', start));
  return [...body.matchAll(/return "([^"]+)";/g)].map((m) => m[1]);
}

describe('dictionaries', () => {
  test('French and English have the same keys, none empty', () => {
    assert.deepEqual(Object.keys(en).sort(), Object.keys(fr).sort());
    for (const [key, text] of [...Object.entries(fr), ...Object.entries(en)])
      assert.ok(typeof text === 'string' && text.trim() !== '', `${key} has text`);
  });

  test('every error code and reason the app maps has a label in both languages', () => {
    const keys = errorLabelKeys();
    assert.ok(keys.length >= ERROR_CODES.length + CLIENT_CODES.length + ERROR_REASONS.length);
    for (const key of keys) {
      assert.ok(key in fr, `${key} in French`);
      assert.ok(key in en, `${key} in English`);
    }
    // …and the English label is not the French one left untranslated.
    for (const key of keys) assert.notEqual(en[key as keyof typeof en], fr[key as keyof typeof fr], key);
  });
});

describe('the names the server sends, labelled', () => {
  const labelled = (key: string) => key in fr && key in en;
  const sources = (dir: string, name: RegExp) =>
    sourcesUnder(join(repo, dir))
      .filter((path) => name.test(path))
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');

  test('every self-check check', () => {
    const text = sources('src/cli', /selfcheck/);
    const checks = new Set([...text.matchAll(/push_back\(\{[^"]*?"([a-z][a-z-]+)"/g)].map((m) => m[1]));
    assert.ok(checks.size >= 8, `found the checks (${[...checks]})`);
    for (const check of checks) assert.ok(labelled(`check.${check}`), `check.${check}`);
  });

  test('every alert kind and risk level', () => {
    const kinds = new Set<string>();
    for (const m of serverText.matchAll(/NewAlert\(/g)) {
      const literals = [...serverText.slice(m.index, m.index + 300).matchAll(/"([a-z][a-z-]*)"/g)].map((x) => x[1]);
      const kind = literals.find((x) => !['low', 'medium', 'high'].includes(x));
      if (kind && !kind.endsWith('-')) kinds.add(kind);
    }
    assert.ok(kinds.size >= 8, `found the alert kinds (${[...kinds]})`);
    for (const kind of kinds) assert.ok(labelled(`alertKind.${kind}`), `alertKind.${kind}`);
    const levels = returnedNames('src/detect/escalation_ladder.cc', 'std::string_view NameOf(Level level)');
    assert.ok(levels.length >= 5, `found the risk levels (${levels})`);
    for (const level of levels) {
      assert.ok(labelled(`riskLevel.${level}`), `riskLevel.${level}`);
      if (level !== 'none') assert.ok(labelled(`alertKind.risk-${level}`), `alertKind.risk-${level}`);
    }
  });

  test('every account status', () => {
    const statuses = new Set([...serverText.matchAll(/SetAccountStatus\(\w+, "([a-z_-]+)"\)/g)].map((m) => m[1]));
    assert.ok(statuses.size >= 3, `found the statuses (${[...statuses]})`);
    for (const status of statuses) assert.ok(labelled(`status.${status}`), `status.${status}`);
  });
});

describe('the server’s error codes and texts', () => {
  test('every code the server sends is mapped', () => {
    const sent = [
      ...returnedNames('src/common/result.cc', 'std::string_view NameOf(ErrorCode code)'),
      ...returnedNames('src/fhir/bundle.cc', 'std::string_view IssueCode(ErrorCode code)'),
    ];
    assert.ok(sent.length >= 20, `found the server's codes (${sent.length})`);
    assert.ok(serverText.includes('w.String("step_up_required")'));
    for (const code of sent) assert.ok((ERROR_CODES as readonly string[]).includes(code), `${code} is mapped`);
  });

  test('every text a reason relies on is still in the server’s sources', () => {
    for (const r of ERROR_REASONS) assert.ok(serverText.includes(r.serverText), `${r.reason}: "${r.serverText}"`);
  });

  test('messages find their reason, and an unknown one keeps the server’s text as detail', () => {
    const cases: [string, number, string, string][] = [
      [
        'step_up_required',
        401,
        'step-up required: this account has reached its budget of 15 patients in 10 minutes; confirm with a fresh code (POST /auth/step-up), then retry',
        'step-up-budget',
      ],
      [
        'step_up_required',
        401,
        'step-up required: confirm with a fresh code (POST /auth/step-up), then retry',
        'step-up',
      ],
      [
        'forbidden',
        403,
        'access denied: the patient is not in your care: break the glass (POST /access/break-glass) if you must',
        'break-glass-needed',
      ],
      [
        'unauthenticated',
        401,
        'this session belongs to another device and has been ended: log in again',
        'session-moved',
      ],
      [
        'too-many-requests',
        429,
        'you have used your 3 break-the-glass grants of the last 24 hours; call the security officer',
        'break-glass-limit',
      ],
      ['forbidden', 403, 'missing or invalid CSRF token', 'csrf'],
    ];
    for (const [code, status, message, reason] of cases)
      assert.deepEqual(errorLabel(code, status, message), { key: `error.reason.${reason}`, detail: '' });
    assert.deepEqual(errorLabel('processing', 422, 'Patient.birthDate: not a date'), {
      key: 'error.code.processing',
      detail: 'Patient.birthDate: not a date',
    });
    assert.equal(errorLabel('', 502, 'Bad Gateway').key, 'error.code.internal');
  });
});
