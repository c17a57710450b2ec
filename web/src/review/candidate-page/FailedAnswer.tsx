/** A failed answer: why, and for recruiters a retry from the kept recording (the page then polls until it settles). */
import { useState } from 'react'
import { call } from '../../shared/api'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'

export function FailedAnswer(props: { candidateId: string; questionId: string; failure?: string | null; canRetry: boolean; onRetried: () => Promise<void> }) {
  const { api } = useSession()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const retry = async () => {
    setBusy(true)
    setError(null)
    try {
      await call(
        api.POST('/api/candidates/{candidateId}/answers/{questionId}/retry', {
          params: { path: { candidateId: props.candidateId, questionId: props.questionId } },
        }),
      )
      await props.onRetried()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="notice notice-error" data-testid="answer-failed">
      <p>
        {t.candidate.failedNote} <span className="failure" data-testid="failure">{props.failure}</span>
      </p>
      {props.canRetry && (
        <button type="button" className="button secondary small" onClick={() => void retry()} disabled={busy}>
          {busy ? t.candidate.retrying : t.candidate.retry}
        </button>
      )}
      <ErrorMessage error={error} />
    </div>
  )
}
