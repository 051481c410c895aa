// Unsent notes. A note being typed when the session ends (idle timeout, server restart)
// must survive the trip through the login screen, and must never be sent without a
// session. It is the only patient data the app keeps in browser storage, and that is
// bounded: sessionStorage (gone when the tab closes), one draft per patient per account,
// at most MAX_DRAFTS of them, MAX_CHARS each, dropped after MAX_AGE_MS, when sent, when
// discarded, and on an explicit logout.

const PREFIX = 'medvault.draft.';
export const MAX_DRAFTS = 5;
export const MAX_CHARS = 20_000;
export const MAX_AGE_MS = 12 * 60 * 60 * 1000; // the server's absolute session lifetime

export interface Draft {
  account: string;
  patient: string;
  text: string;
  savedAt: number;
}

function keyOf(account: string, patient: string): string {
  return `${PREFIX}${account}.${patient}`;
}

function allDrafts(): { key: string; draft: Draft }[] {
  const out: { key: string; draft: Draft }[] = [];
  for (let i = 0; i < sessionStorage.length; i++) {
    const key = sessionStorage.key(i);
    if (!key || !key.startsWith(PREFIX)) continue;
    try {
      out.push({ key, draft: JSON.parse(sessionStorage.getItem(key) ?? '') as Draft });
    } catch {
      sessionStorage.removeItem(key);
    }
  }
  return out;
}

/** Removes drafts past their age. */
export function pruneDrafts(now = Date.now()): void {
  for (const { key, draft } of allDrafts()) {
    if (!(now - draft.savedAt < MAX_AGE_MS)) sessionStorage.removeItem(key);
  }
}

export function loadDraft(account: string, patient: string): string {
  pruneDrafts();
  const raw = sessionStorage.getItem(keyOf(account, patient));
  if (!raw) return '';
  try {
    return (JSON.parse(raw) as Draft).text;
  } catch {
    return '';
  }
}

/** Keeps `text` as the draft for this patient (an empty text removes it). */
export function saveDraft(account: string, patient: string, text: string): void {
  const key = keyOf(account, patient);
  if (!text.trim()) {
    sessionStorage.removeItem(key);
    return;
  }
  const draft: Draft = { account, patient, text: text.slice(0, MAX_CHARS), savedAt: Date.now() };
  sessionStorage.setItem(key, JSON.stringify(draft));
  // Over the limit, the oldest drafts go.
  const drafts = allDrafts().sort((a, b) => b.draft.savedAt - a.draft.savedAt);
  drafts.slice(MAX_DRAFTS).forEach(({ key: old }) => sessionStorage.removeItem(old));
}

export function dropDraft(account: string, patient: string): void {
  sessionStorage.removeItem(keyOf(account, patient));
}

/** The patients with a kept draft of this account (to offer them back after login). */
export function draftPatients(account: string): string[] {
  pruneDrafts();
  return allDrafts()
    .filter(({ draft }) => draft.account === account)
    .map(({ draft }) => draft.patient);
}

/** Whether any unsent note is kept (said on the login screen, whose user is not known yet). */
export function hasDrafts(): boolean {
  pruneDrafts();
  return allDrafts().length > 0;
}

export function dropAllDrafts(): void {
  allDrafts().forEach(({ key }) => sessionStorage.removeItem(key));
}
