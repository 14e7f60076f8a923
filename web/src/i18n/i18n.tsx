// English and Simplified Chinese, switchable; a typed dictionary (every key exists in both).
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en.js';
import { zh } from './zh.js';

export type Language = 'en' | 'zh';
export const LANGUAGES: readonly Language[] = ['en', 'zh'];
const dictionaries: Record<Language, Record<MessageKey, string>> = { en, zh };
const STORAGE_KEY = 'jobyard.language';

/** Replaces {name} placeholders with values. */
export function interpolate(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** A translator for one language (usable outside React, e.g. in tests). */
export function translator(lang: Language): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const dict = dictionaries[lang];
  return (key, vars) => interpolate(dict[key] ?? en[key] ?? key, vars);
}

/** The language a browser asks for: Chinese for any zh-*, else English. */
export function detectLanguage(languages: readonly string[] | undefined): Language {
  const first = languages?.find((l) => /^(zh|en)\b/i.test(l));
  return first && /^zh/i.test(first) ? 'zh' : 'en';
}

/**
 * The locale for dates: the user's own when it matches the UI language (en-GB stays en-GB),
 * otherwise the language's main locale, so a Chinese UI shows Chinese dates.
 */
export function dateLocale(lang: Language, languages: readonly string[] | undefined): string {
  const own = languages?.find((l) => l.toLowerCase().startsWith(lang));
  if (own) return own;
  return lang === 'zh' ? 'zh-CN' : 'en-US';
}

export interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** Locale for Intl date formatting. */
  locale: string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
}

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // storage unavailable
  }
  return detectLanguage(browserLanguages());
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [lang, setLangState] = useState<Language>(() => initial ?? initialLanguage());
  const setLang = useCallback((l: Language) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // storage unavailable
    }
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: translator(lang), locale: dateLocale(lang, browserLanguages()) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

export type { MessageKey };
