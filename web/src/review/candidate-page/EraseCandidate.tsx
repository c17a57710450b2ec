/** Erasure of everything about the candidate, after a confirmation. */
import { useMutation } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { call } from '../../shared/api'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'

export function EraseCandidate({ candidateId, onErased }: { candidateId: string; onErased: () => void }) {
  const { api } = useSession()
  const [confirming, setConfirming] = useState(false)
  useEffect(() => setConfirming(false), [candidateId])
  const erase = useMutation({ mutationFn: () => call(api.DELETE('/api/candidates/{candidateId}', { params: { path: { candidateId } } })), onSuccess: () => onErased() })

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
            <button type="button" className="button danger" onClick={() => erase.mutate()} disabled={erase.isPending || erase.isSuccess}>
              {t.candidate.eraseYes}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={erase.error} />
    </section>
  )
}
