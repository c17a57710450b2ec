/**
 * Formatting in one language. Each app keeps its wording in string catalogs (review/strings.ts;
 * candidate/strings/<language>.ts, one per language); these helpers are the only formatting the
 * catalogs and the pages need. `formats(locale)` formats in a chosen language (the candidate app:
 * the interview's); the plain exports below format in the reader's browser language (the review app).
 */

/** The browser's own language tags, most preferred first. */
export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return ['en']
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language]
  return tags.filter(Boolean)
}

export const locale = browserLanguages()[0] || 'en'

/** "{n} questions" style templates. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}

/** A sentence per plural category of the language (Intl.PluralRules): `other` always, `one`, `many`... as the language has them. */
export type PluralForms = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>

export interface Formats {
  /** The BCP 47 tag everything is formatted in (e.g. "es", "de-AT"). */
  readonly locale: string
  /** The form for `n`, with `{n}` formatted as a number of the language. */
  plural(n: number, forms: PluralForms): string
  /** 1234.5 -> "1,234.5" / "1.234,5" / "1 234,5" */
  number(n: number): string
  /** 0.42 -> "42%" / "42 %" */
  percent(fraction: number): string
  /** A date, with the time when asked for. */
  date(iso: string | null | undefined, withTime?: boolean): string
  /** A moment not to miss: weekday, date, time and the time zone's short name ("Fri, Dec 4, 2026, 5:00 PM CET"). */
  deadline(iso: string): string
  /** 95 -> "1 min 35 sec" (for sentences, where a clock reads badly). */
  duration(seconds: number): string
  /** 95 -> "1:35" (for a countdown). */
  clock(seconds: number): string
}

const cache = new Map<string, Formats>()

export function formats(tag: string): Formats {
  let made = cache.get(tag)
  if (!made) cache.set(tag, (made = makeFormats(tag)))
  return made
}

function makeFormats(tag: string): Formats {
  const rules = new Intl.PluralRules(tag)
  const numbers = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 })
  const percents = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 })
  const unit = (u: 'minute' | 'second') => new Intl.NumberFormat(tag, { style: 'unit', unit: u, unitDisplay: 'short' })
  const minutes = unit('minute')
  const seconds = unit('second')
  const deadlines = new Intl.DateTimeFormat(tag, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  })
  const parse = (iso: string) => {
    const d = new Date(iso)
    return Number.isNaN(d.getTime()) ? null : d
  }
  return {
    locale: tag,
    plural: (n, forms) => fill(forms[rules.select(n)] ?? forms.other, { n: numbers.format(n) }),
    number: (n) => numbers.format(n),
    percent: (fraction) => percents.format(fraction),
    date(iso, withTime = false) {
      if (!iso) return ''
      const d = parse(iso)
      return d ? d.toLocaleString(tag, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }) : iso
    },
    deadline(iso) {
      const d = parse(iso)
      return d ? deadlines.format(d) : iso
    },
    duration(total) {
      const s = Math.max(0, Math.round(total))
      const m = Math.floor(s / 60)
      const rest = s % 60
      if (m === 0) return seconds.format(rest)
      return rest ? `${minutes.format(m)} ${seconds.format(rest)}` : minutes.format(m)
    },
    clock(total) {
      const s = Math.max(0, Math.ceil(total))
      return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
    },
  }
}

// In the reader's browser language (the review app).
const reader = formats(locale)

export function plural(n: number, one: string, other: string): string {
  return fill(new Intl.PluralRules(locale).select(n) === 'one' ? one : other, { n })
}

export function formatDate(iso: string | null | undefined, withTime = false): string {
  return reader.date(iso, withTime)
}

/** 95 -> "1:35" */
export function clock(seconds: number): string {
  return reader.clock(seconds)
}

/** 95 -> "1 min, 35 sec" in the reader's language (for sentences, where a clock reads badly). */
export function duration(seconds: number): string {
  return reader.duration(seconds)
}
