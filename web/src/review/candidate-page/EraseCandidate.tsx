/** Erasure of everything about the candidate, after a confirmation. */
import { useEffect, useState } from 'react'
import { call } from '../../shared/api'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'

export function EraseCandidate({ candidateId, onErased }: { candidateId: string; onErased: () => void }) {
  const { api } = useSession()
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => setConfirming(false), [candidateId])

  const erase = async () => {
    setBusy(true)
    setError(null)
    try {
      await call(api.DELETE('/api/candidates/{candidateId}', { params: { path: { candidateId } } }))
      onErased()
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <section className="danger-zone">
      {!confirming ? (
        <button type="button" className="button danger-outline small" onClick={() => setConfirming(true)}>
          {t.candidate.erase}
        </button>
      ) : (
        <div className="notice notice-error" role="alert">
          <p>{t.candidate.eraseConfirm}</p>
          <div className="row">
            <button type="button" className="button danger" onClick={erase} disabled={busy}>
              {t.candidate.eraseYes}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={error} />
    </section>
  )
}
