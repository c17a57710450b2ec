import { type FormEvent, useState } from 'react'
import { ErrorMessage, PageHeading } from '../shared/ui'
import { useCandidate } from './context'
import { stopFor } from './stops'
import { ask, useLocale } from './locale'
import type { QuestionProps } from './VideoQuestion'

const MAX_CHARS = 10_000

export function TextQuestion({ question, index, total, onDone, onError }: QuestionProps) {
  const { api } = useCandidate()
  const { t } = useLocale()
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  // The session may carry the prompt of a written question; video prompts are revealed only when a take starts.
  const prompt = (question as { prompt?: string }).prompt

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await ask(t, api.POST('/api/c/questions/{questionId}/text', { params: { path: { questionId: question.questionId } }, body: { text: text.trim() } }))
      onDone()
    } catch (err) {
      setBusy(false)
      if (stopFor(err)) onError(err)
      else setError(err)
    }
  }

  const count = text.length
  return (
    <form className="card stack" onSubmit={submit} data-testid="text-question">
      <div>
        <p className="step-label">{t.question.step(index + 1, total)}</p>
        <PageHeading className="question-prompt">{prompt || t.question.textPromptMissing}</PageHeading>
        <p className="muted">{t.question.textIntro}</p>
      </div>
      <div className="field">
        <label htmlFor="text-answer">{t.question.textLabel}</label>
        <textarea
          id="text-answer"
          rows={10}
          required
          maxLength={MAX_CHARS}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-describedby="text-count"
        />
        <p id="text-count" className={`char-count${count >= MAX_CHARS ? ' over' : ''}`} aria-live="polite">
          {t.question.chars(count, MAX_CHARS)}
        </p>
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="button big" disabled={busy || !text.trim()}>
          {busy ? t.question.saving : t.question.submit}
        </button>
      </div>
    </form>
  )
}
