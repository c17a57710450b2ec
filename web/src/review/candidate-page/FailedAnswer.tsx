/** A failed answer: why, and for recruiters a retry from the kept recording (the page then polls until it settles). */
import { useMutation } from '@tanstack/react-query'
import { call } from '../../shared/api'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'

export function FailedAnswer(props: { candidateId: string; questionId: string; failure?: string | null; canRetry: boolean; onRetried: () => Promise<unknown> }) {
  const { api } = useSession()
  const retry = useMutation({
    mutationFn: () => call(api.POST('/api/candidates/{candidateId}/answers/{questionId}/retry', { params: { path: { candidateId: props.candidateId, questionId: props.questionId } } })),
    onSuccess: () => props.onRetried(),
  })
  return (
    <div className="notice notice-error" data-testid="answer-failed">
      <p>
        {t.candidate.failedNote} <span className="failure" data-testid="failure">{props.failure}</span>
      </p>
      {props.canRetry && (
        <button type="button" className="button secondary small" onClick={() => retry.mutate()} disabled={retry.isPending}>
          {retry.isPending ? t.candidate.retrying : t.candidate.retry}
        </button>
      )}
      <ErrorMessage error={retry.error} />
    </div>
  )
}
