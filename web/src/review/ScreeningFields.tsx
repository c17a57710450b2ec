import type { Answer, QuestionIn } from '../shared/types'
import { t } from './strings'

/** A screening question's settings as the builder edits them: options with an "acceptable" mark each
 * (the mark follows its option when the text changes), number bounds, and the preferred answer. */
export type ScreeningRow = {
  options?: string[]
  accept?: boolean[]
  multiple?: boolean
  numberMin?: number | null
  numberMax?: number | null
  unit?: string
  expected?: boolean | null
  preferMin?: number | null
  preferMax?: number | null
}

type Stored = Pick<QuestionIn, 'kind' | 'options' | 'multiple' | 'numberMin' | 'numberMax' | 'unit' | 'rule'>

export const SCREENING_KINDS = ['yes_no', 'choice', 'number'] as const
export const isScreening = (kind: QuestionIn['kind']) => (SCREENING_KINDS as readonly string[]).includes(kind ?? 'video')

/** The builder's row from a stored question (an interview, a template). */
export function screeningRow(q: Partial<Stored>): ScreeningRow {
  const options = q.options ?? []
  return {
    options: q.kind === 'choice' ? options : ['', ''],
    accept: options.map((o) => q.rule?.acceptable?.includes(o) ?? false),
    multiple: q.multiple ?? false,
    numberMin: q.numberMin ?? null,
    numberMax: q.numberMax ?? null,
    unit: q.unit ?? '',
    expected: q.rule?.expected ?? null,
    preferMin: q.rule?.min ?? null,
    preferMax: q.rule?.max ?? null,
  }
}

/** What the API takes for the row's kind: a screening kind's settings, and nothing of them for the others. */
export function screeningBody(kind: QuestionIn['kind'], r: ScreeningRow): Stored {
  const none: Stored = { kind, options: [], multiple: false, numberMin: null, numberMax: null, unit: '', rule: null }
  if (kind === 'yes_no') return { ...none, rule: r.expected == null ? null : { expected: r.expected } }
  if (kind === 'choice') {
    const options = (r.options ?? []).map((o) => o.trim())
    const acceptable = options.filter((o, i) => o && r.accept?.[i])
    return { ...none, options, multiple: r.multiple ?? false, rule: acceptable.length ? { acceptable } : null }
  }
  if (kind === 'number') {
    const ranged = r.preferMin != null || r.preferMax != null
    return { ...none, numberMin: r.numberMin ?? null, numberMax: r.numberMax ?? null, unit: (r.unit ?? '').trim(), rule: ranged ? { min: r.preferMin ?? null, max: r.preferMax ?? null } : null }
  }
  return none
}

const MAX_OPTIONS = 10
const toNumber = (v: string) => (v.trim() === '' || Number.isNaN(Number(v)) ? null : Number(v))

/** The settings of one screening question: options or bounds, and the preferred answer (kept from candidates). */
export function ScreeningFields({ id, n, kind, row, onChange }: { id: string; n: number; kind: QuestionIn['kind']; row: ScreeningRow; onChange: (patch: ScreeningRow) => void }) {
  const options = row.options ?? ['', '']
  const accept = row.accept ?? []
  const setOption = (i: number, text: string) => onChange({ options: options.map((o, j) => (j === i ? text : o)) })
  const removeOption = (i: number) => onChange({ options: options.filter((_, j) => j !== i), accept: accept.filter((_, j) => j !== i) })
  return (
    <div className="stack screening-fields" data-testid="screening-fields">
      <p className="muted small">{t.screening.help}</p>
      {kind === 'yes_no' && (
        <div className="field">
          <label htmlFor={`${id}-expected`}>{t.screening.preferred}</label>
          <select
            id={`${id}-expected`}
            value={row.expected == null ? '' : row.expected ? 'yes' : 'no'}
            onChange={(e) => onChange({ expected: e.target.value === '' ? null : e.target.value === 'yes' })}
          >
            <option value="">{t.screening.noRule}</option>
            <option value="yes">{t.screening.yes}</option>
            <option value="no">{t.screening.no}</option>
          </select>
        </div>
      )}
      {kind === 'choice' && (
        <fieldset className="stack">
          <legend>{t.screening.options(n)}</legend>
          <p className="muted small">{t.screening.optionsHelp}</p>
          {options.map((o, i) => (
            <div className="row wrap" key={i}>
              <div className="field">
                <label htmlFor={`${id}-option-${i}`}>{t.screening.option(i + 1)}</label>
                <input id={`${id}-option-${i}`} type="text" required maxLength={200} value={o} onChange={(e) => setOption(i, e.target.value)} />
              </div>
              <div className="check">
                <input
                  id={`${id}-accept-${i}`}
                  type="checkbox"
                  checked={accept[i] ?? false}
                  onChange={(e) => onChange({ accept: options.map((_, j) => (j === i ? e.target.checked : (accept[j] ?? false))) })}
                />
                <label htmlFor={`${id}-accept-${i}`}>{t.screening.acceptable(i + 1)}</label>
              </div>
              {options.length > 2 && (
                <button type="button" className="button secondary small" onClick={() => removeOption(i)} aria-label={t.screening.removeOption(i + 1)}>
                  {t.screening.remove}
                </button>
              )}
            </div>
          ))}
          {options.length < MAX_OPTIONS && (
            <div>
              <button type="button" className="button secondary small" onClick={() => onChange({ options: [...options, ''] })}>
                {t.screening.addOption}
              </button>
            </div>
          )}
          <div className="check">
            <input id={`${id}-multiple`} type="checkbox" checked={row.multiple ?? false} onChange={(e) => onChange({ multiple: e.target.checked })} />
            <label htmlFor={`${id}-multiple`}>{t.screening.multiple}</label>
          </div>
        </fieldset>
      )}
      {kind === 'number' && (
        <div className="row wrap">
          <NumberField id={`${id}-min`} label={t.screening.numberMin} value={row.numberMin} onChange={(v) => onChange({ numberMin: v })} />
          <NumberField id={`${id}-max`} label={t.screening.numberMax} value={row.numberMax} onChange={(v) => onChange({ numberMax: v })} />
          <div className="field">
            <label htmlFor={`${id}-unit`}>{t.screening.unit}</label>
            <input id={`${id}-unit`} type="text" maxLength={30} value={row.unit ?? ''} onChange={(e) => onChange({ unit: e.target.value })} />
          </div>
          <NumberField id={`${id}-prefer-min`} label={t.screening.preferMin} value={row.preferMin} onChange={(v) => onChange({ preferMin: v })} />
          <NumberField id={`${id}-prefer-max`} label={t.screening.preferMax} value={row.preferMax} onChange={(v) => onChange({ preferMax: v })} />
        </div>
      )}
    </div>
  )
}

function NumberField({ id, label, value, onChange }: { id: string; label: string; value?: number | null; onChange: (v: number | null) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" step="any" inputMode="decimal" value={value ?? ''} onChange={(e) => onChange(toNumber(e.target.value))} />
    </div>
  )
}

export const screeningKindLabel = (kind: QuestionIn['kind']) =>
  kind === 'yes_no' ? t.form.kindYesNo : kind === 'choice' ? t.form.kindChoice : kind === 'number' ? t.form.kindNumber : ''

/** Next to a screening answer: whether it met the recruiter's preferred answer (a flag for reviewers, never a verdict). */
export function ScreeningNote({ answer }: { answer: Answer }) {
  if (answer.missedRule == null || !answer.preferred) return null
  return answer.missedRule ? (
    <p className="notice notice-warn" data-testid="screening-missed">
      {t.screening.missed(answer.preferred)}
    </p>
  ) : (
    <p className="muted small" data-testid="screening-met">
      {t.screening.met}
    </p>
  )
}
