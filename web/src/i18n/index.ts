// Labels in French (the default: the demo's practice is French) and English. Each
// language is a dictionary with the same keys; French is the reference, so a key missing
// from English fails the type check. Dates and numbers go through Intl in the chosen
// language's locale.
import { en } from './en';
import { fr, type Messages } from './fr';

export type Language = 'fr' | 'en';
export type MessageKey = keyof Messages;

const dictionaries: Record<Language, Messages> = { fr, en };
const locales: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };
const STORAGE_KEY = 'medvault.language'; // a preference, not patient data

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'fr' || saved === 'en') return saved;
  return 'fr';
}

let current: Language = initialLanguage();
const listeners = new Set<() => void>();

export function language(): Language {
  return current;
}

export function setLanguage(next: Language): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  listeners.forEach((listener) => listener());
}

/** Calls `listener` after each change of language; returns the unsubscribe function. */
export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether `key` has a label (for values the server names, which may grow). */
export function hasMessage(key: string): boolean {
  return key in fr;
}

/**
 * The label of a value the API sends as a name (`group.name`: status.active,
 * alertKind.break-glass, …), or the name itself when it has none.
 */
export function valueLabel(group: string, name: string): string {
  const key = `${group}.${name}`;
  return hasMessage(key) ? t(key as MessageKey) : name;
}

/** The label for `key`, with {name} placeholders replaced from `vars`. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text: string = dictionaries[current][key] ?? fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function locale(): string {
  return locales[current];
}

function toDate(value: string | number | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A calendar date ("2024-03-05" or a full timestamp) in the user's locale. */
export function formatDate(value: string | undefined | null): string {
  if (!value) return '';
  // A bare FHIR date has no time zone: show it as written, not shifted to UTC.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? toDate(`${value}T12:00:00`) : toDate(value);
  if (!date) return value;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(date);
}

export function formatDateTime(value: string | number | Date | undefined | null): string {
  if (value === undefined || value === null || value === '') return '';
  const date = toDate(value);
  if (!date) return String(value);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatNumber(value: number, maximumFractionDigits = 1): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits }).format(value);
}

document.documentElement.lang = current;
