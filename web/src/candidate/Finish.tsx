import { useState } from 'react'
import { ApiError } from '../shared/api'
import { ErrorMessage, Icon, PageHeading } from '../shared/ui'
import { useCandidate } from './context'
import { stopFor } from './stops'
import { ask, useLocale } from './locale'

/** ``onReopened``: a recording sent earlier was refused after upload and its question is open again (the session is read anew). */
export function Finish({ onFinished, onError, onReopened }: { onFinished: () => void; onError: (e: unknown) => void; onReopened: () => Promise<void> }) {
  const { api } = useCandidate()
  const { t } = useLocale()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const finish = async () => {
    setBusy(true)
    setError(null)
    try {
      await ask(t, api.POST('/api/c/complete'))
      onFinished()
    } catch (e) {
      setBusy(false)
      if (stopFor(e)) onError(e)
      else if (e instanceof ApiError && e.code === 'answers_missing') await onReopened().catch(onError)
      else setError(e)
    }
  }

  return (
    <section className="card stack center" data-testid="finish">
      <div className="big-icon icon-check">
        <Icon name="check" />
      </div>
      <PageHeading>{t.finish.title}</PageHeading>
      <p>{t.finish.body}</p>
      <ErrorMessage error={error} />
      <div className="actions" style={{ justifyContent: 'center' }}>
        <button type="button" className="button big" onClick={finish} disabled={busy}>
          {busy ? t.finish.busy : t.finish.button}
        </button>
      </div>
    </section>
  )
}
