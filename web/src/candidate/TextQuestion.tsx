import { type FormEvent, useEffect, useRef, useState } from 'react'
import { ErrorMessage, PageHeading } from '../shared/ui'
import { useCandidate } from './context'
import { clearDraft, loadDraft, saveDraft } from './drafts'
import { QuestionProgress } from './Progress'
import { stopFor } from './stops'
import { ask, useLocale } from './locale'
import type { QuestionProps } from './VideoQuestion'

const MAX_CHARS = 10_000
/** How long typing pauses before the draft is written (and on leaving the page, at once). */
const DRAFT_DELAY_MS = 400

export function TextQuestion({ question, index, total, onDone, onError }: QuestionProps) {
  const { api, scope } = useCandidate()
  const { t } = useLocale()
  const qid = question.questionId
  const [text, setText] = useState(() => loadDraft(scope, qid))
  const [draft, setDraft] = useState<'restored' | 'saved' | null>(() => (text ? 'restored' : null))
  useDraft(scope, qid, text, () => setDraft('saved'))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  // The session may carry the prompt of a written question; video prompts are revealed only when a take starts.
  const prompt = (question as { prompt?: string }).prompt

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await ask(t, api.POST('/api/c/questions/{questionId}/text', { params: { path: { questionId: qid } }, body: { text: text.trim() } }))
      clearDraft(scope, qid)
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
        <QuestionProgress index={index} total={total} />
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
        <div className="row spread wrap">
          <p id="text-count" className={`char-count${count >= MAX_CHARS ? ' over' : ''}`} aria-live="polite">
            {t.question.chars(count, MAX_CHARS)}
          </p>
          <p className="muted small" role="status" data-testid="draft-status">
            {draft === 'restored' ? t.question.draftRestored : draft === 'saved' ? t.question.draftSaved : ''}
          </p>
        </div>
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

/** Writes the draft a moment after typing pauses, and at once when the page is hidden or left (a closed tab). */
function useDraft(scope: string, questionId: string, text: string, onSaved: () => void) {
  const latest = useRef({ text, dirty: false })
  const saved = useRef(onSaved)
  saved.current = onSaved
  useEffect(() => {
    if (latest.current.text === text) return
    latest.current = { text, dirty: true }
    const timer = window.setTimeout(() => {
      latest.current.dirty = false
      if (saveDraft(scope, questionId, text)) saved.current()
    }, DRAFT_DELAY_MS)
    return () => window.clearTimeout(timer)
  }, [scope, questionId, text])
  useEffect(() => {
    const flush = () => {
      if (latest.current.dirty) saveDraft(scope, questionId, latest.current.text)
      latest.current.dirty = false
    }
    window.addEventListener('pagehide', flush)
    document.addEventListener('visibilitychange', flush)
    return () => {
      window.removeEventListener('pagehide', flush)
      document.removeEventListener('visibilitychange', flush)
    }
  }, [scope, questionId])
}
