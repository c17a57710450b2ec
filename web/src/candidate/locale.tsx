/**
 * The language the candidate app speaks. Before the session is read (loading, a bad link) it is the
 * browser's first language the app is written in; then the interview's, as the session says (`locale`).
 * Components take their words and formats from `useLocale()`, never from a module of their own.
 */
import { createContext, useContext } from 'react'
import { type Outcome, ApiError, call } from '../shared/api'
import { type Formats, browserLanguages, formats } from '../shared/i18n'
import type { Session } from '../shared/types'
import { de } from './strings/de'
import { type Strings, en } from './strings/en'
import { es } from './strings/es'
import { fr } from './strings/fr'

export type Lang = Session['locale']

const CATALOGS: Record<Lang, (f: Formats) => Strings> = { en, es, de, fr }
export const LANGS = Object.keys(CATALOGS) as Lang[]

const primary = (tag: string) => tag.split('-')[0]!.toLowerCase()
const isLang = (code: string): code is Lang => (LANGS as string[]).includes(code)

export interface Locale {
  lang: Lang
  t: Strings
  f: Formats
}

/** The browser's first language the app is written in, else English. */
export function browserLang(tags: readonly string[] = browserLanguages()): Lang {
  return tags.map(primary).find(isLang) ?? 'en'
}

const made = new Map<Lang, Locale>()

/** Words in `lang`; numbers and dates in the browser's own variant of it when it has one (es-MX, de-AT, en-GB), else in `lang`. */
export function localeFor(lang: Lang, tags: readonly string[] = browserLanguages()): Locale {
  let locale = made.get(lang)
  if (!locale) {
    const f = formats(tags.find((tag) => primary(tag) === lang) ?? lang)
    made.set(lang, (locale = { lang, t: CATALOGS[lang](f), f }))
  }
  return locale
}

export const LocaleContext = createContext<Locale>(localeFor(browserLang()))

export function useLocale(): Locale {
  return useContext(LocaleContext)
}

/** An API call in the candidate's language: a refusal the catalog knows is told in its words (code and status kept for the logic). */
export async function ask<T>(t: Strings, pending: Promise<Outcome<T>>): Promise<NonNullable<T>> {
  try {
    return await call(pending, t.networkError)
  } catch (e) {
    throw inLanguage(t, e)
  }
}

export function inLanguage(t: Strings, e: unknown): unknown {
  if (!(e instanceof ApiError) || e.code === 'network_error') return e
  const known = (t.errors as Record<string, unknown>)[e.code]
  return new ApiError(typeof known === 'string' ? known : t.errors.other(e.message), e.code, e.status)
}
