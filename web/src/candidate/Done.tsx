import { type FormEvent, useState } from 'react'
import type { components } from '../shared/api-schema'
import { ErrorMessage, Icon, PageHeading } from '../shared/ui'
import { useCandidate } from './context'
import { GreetingVideo } from './GreetingVideo'
import { ask, useLocale } from './locale'

/** Thank-you page: what happens next (the recruiter's closing video, if any), and an optional short survey. */
export function Done({ orgName, closingVideo }: { orgName: string; closingVideo?: components['schemas']['VideoLinks'] }) {
  const { api } = useCandidate()
  const { t } = useLocale()
  const [rating, setRating] = useState<number | null>(null)
  const [fairness, setFairness] = useState<number | null>(null)
  const [convenience, setConvenience] = useState<number | null>(null)
  const [comment, setComment] = useState('')
  const [busy, setBusy] = useState(false)
  const [sent, setSent] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!rating) return
    setBusy(true)
    setError(null)
    try {
      await ask(t, api.POST('/api/c/feedback', { body: { rating, comment: comment.trim() || null, fairness, convenience } }))
      setSent(true)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="stack">
      <section className="card center" data-testid="done">
        <div className="big-icon icon-check">
          <Icon name="check" />
        </div>
        <PageHeading>{t.done.title}</PageHeading>
        <p>{t.done.next(orgName)}</p>
        {closingVideo && <GreetingVideo video={closingVideo} label={t.done.video} testId="closing-video" />}
      </section>

      <section className="card" aria-labelledby="survey-title">
        <h2 id="survey-title">{t.done.survey}</h2>
        {sent ? (
          <p role="status" className="success-text">
            {t.done.thanks}
          </p>
        ) : (
          <form className="stack" onSubmit={submit} data-testid="survey">
            <p className="help">{t.done.surveyHelp}</p>
            <fieldset>
              <legend>{t.done.rating}</legend>
              <div className="rating score-options">
                {[1, 2, 3, 4, 5].map((n) => (
                  <label key={n} className="score-option" title={t.done.ratingName(n)}>
                    <input type="radio" name="rating" value={n} checked={rating === n} onChange={() => setRating(n)} aria-label={t.done.ratingLabel(n, t.done.ratingName(n))} />
                    <span aria-hidden="true">{t.done.ratingValue(n)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <Scale name="fairness" legend={t.done.fairness} value={fairness} onChange={setFairness} />
            <Scale name="convenience" legend={t.done.convenience} value={convenience} onChange={setConvenience} />
            <div className="field">
              <label htmlFor="survey-comment">{t.done.comment}</label>
              <textarea id="survey-comment" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
            </div>
            <ErrorMessage error={error} />
            <div>
              <button type="submit" className="button" disabled={busy || !rating}>
                {busy ? t.done.sending : t.done.send}
              </button>
            </div>
          </form>
        )}
      </section>
    </div>
  )
}

/** One optional 1-5 question of the survey (fairness, convenience): radio buttons named by the scale's words. */
function Scale({ name, legend, value, onChange }: { name: string; legend: string; value: number | null; onChange: (n: number) => void }) {
  const { t } = useLocale()
  return (
    <fieldset data-testid={`survey-${name}`}>
      <legend>{legend}</legend>
      <div className="rating score-options">
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="score-option" title={t.done.scaleName(n)}>
            <input type="radio" name={name} value={n} checked={value === n} onChange={() => onChange(n)} aria-label={t.done.ratingLabel(n, t.done.scaleName(n))} />
            <span aria-hidden="true">{t.done.ratingValue(n)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}
