/**
 * Each app keeps its wording in one strings module (review/strings.ts,
 * candidate/strings.ts) so a translation replaces one file. These helpers are
 * the only formatting the strings need.
 */

export const locale = (typeof navigator !== 'undefined' && navigator.language) || 'en'

/** "{n} questions" style templates. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}

export function plural(n: number, one: string, other: string): string {
  return fill(new Intl.PluralRules(locale).select(n) === 'one' ? one : other, { n })
}

export function formatDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(locale, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' })
}

/** 95 -> "1:35" */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

const unit = (u: 'minute' | 'second') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' })

/** 95 -> "1 min, 35 sec" in the reader's language (for sentences, where a clock reads badly). */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const m = Math.floor(s / 60)
  const rest = s % 60
  if (m === 0) return unit('second').format(rest)
  return rest ? `${unit('minute').format(m)} ${unit('second').format(rest)}` : unit('minute').format(m)
}
