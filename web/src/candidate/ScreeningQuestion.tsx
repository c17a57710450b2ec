import { type FormEvent, useState } from 'react'
import { ErrorMessage, PageHeading } from '../shared/ui'
import { useCandidate } from './context'
import { QuestionProgress } from './Progress'
import { stopFor } from './stops'
import { ask, useLocale } from './locale'
import type { QuestionProps } from './VideoQuestion'

/** A screening question (yes/no, multiple choice, number) answered with form controls: radios, checkboxes or a
 * number field, each labelled, in one fieldset named by the question. The preferred answer never reaches the app. */
export function ScreeningQuestion({ question, index, total, onDone, onError }: QuestionProps) {
  const { api } = useCandidate()
  const { t, f } = useLocale()
  const qid = question.questionId
  const [yes, setYes] = useState<boolean | null>(null)
  const [chosen, setChosen] = useState<string[]>([])
  const [number, setNumber] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const { kind, options = [], multiple = false, numberMin, numberMax, unit = '' } = question

  const value = (): { yes?: boolean; choices?: string[]; number?: number } | null => {
    if (kind === 'yes_no') return yes === null ? null : { yes }
    if (kind === 'choice') return chosen.length ? { choices: chosen } : null
    const n = Number(number)
    return number.trim() === '' || !Number.isFinite(n) ? null : { number: n }
  }
  const ready = value() !== null

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const body = value()
    if (!body) return setError(new Error(t.question.needAnswer))
    setBusy(true)
    setError(null)
    try {
      await ask(t, api.POST('/api/c/questions/{questionId}/screening', { params: { path: { questionId: qid } }, body }))
      onDone()
    } catch (err) {
      setBusy(false)
      if (stopFor(err)) onError(err)
      else setError(err)
    }
  }

  const toggle = (option: string, on: boolean) =>
    setChosen((c) => (multiple ? (on ? [...c, option] : c.filter((x) => x !== option)) : on ? [option] : c.filter((x) => x !== option)))
  const range =
    numberMin != null && numberMax != null
      ? t.question.numberBetween(f.number(numberMin), f.number(numberMax))
      : numberMin != null
        ? t.question.numberAtLeast(f.number(numberMin))
        : numberMax != null
          ? t.question.numberAtMost(f.number(numberMax))
          : ''

  return (
    <form className="card stack" onSubmit={submit} data-testid="screening-question">
      <div>
        <QuestionProgress index={index} total={total} />
        <PageHeading className="question-prompt">{question.prompt}</PageHeading>
        <p className="muted">{t.question.screeningIntro}</p>
      </div>
      {kind === 'number' ? (
        <div className="field">
          <label htmlFor="screening-number">{unit ? t.question.numberLabel(unit) : t.question.textLabel}</label>
          <input
            id="screening-number"
            type="number"
            inputMode="decimal"
            step="any"
            required
            min={numberMin ?? undefined}
            max={numberMax ?? undefined}
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            aria-describedby={range ? 'screening-range' : undefined}
          />
          {range && (
            <p id="screening-range" className="muted small">
              {range}
            </p>
          )}
        </div>
      ) : (
        <fieldset className="choice-group" aria-describedby="screening-how">
          <legend id="screening-how">{kind === 'choice' && multiple ? t.question.chooseSeveral : t.question.chooseOne}</legend>
          {kind === 'yes_no'
            ? ([true, false] as const).map((v) => (
                <label key={String(v)} className="choice">
                  <input type="radio" name="screening" value={v ? 'yes' : 'no'} checked={yes === v} onChange={() => setYes(v)} required />
                  {v ? t.question.yes : t.question.no}
                </label>
              ))
            : options.map((o) => (
                <label key={o} className="choice">
                  <input
                    type={multiple ? 'checkbox' : 'radio'}
                    name="screening"
                    value={o}
                    checked={chosen.includes(o)}
                    onChange={(e) => toggle(o, e.target.checked)}
                  />
                  {o}
                </label>
              ))}
        </fieldset>
      )}
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="button big" disabled={busy || !ready}>
          {busy ? t.question.saving : t.question.submit}
        </button>
      </div>
    </form>
  )
}
