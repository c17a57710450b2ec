import { useState } from 'react'
import type { components } from '../shared/api-schema'
import { ErrorMessage } from '../shared/ui'
import { useCandidate } from './context'
import { ask, useLocale } from './locale'

type Copy = components['schemas']['CandidateCopy']

/** The candidate's own copy of their answers, on request from the status page: what they wrote, the transcript of
 * what they said, and each video to save (the links work for a short while; asking again makes new ones). */
export function CopyOfAnswers() {
  const { api } = useCandidate()
  const { t } = useLocale()
  const [copy, setCopy] = useState<Copy | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const get = async () => {
    setBusy(true)
    setError(null)
    try {
      setCopy(await ask(t, api.GET('/api/c/copy')))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card stack" aria-labelledby="copy-title" data-testid="copy-of-answers">
      <h2 id="copy-title">{t.copy.title}</h2>
      <p className="help">{t.copy.intro}</p>
      <ErrorMessage error={error} />
      {!copy ? (
        <button type="button" className="button secondary" onClick={() => void get()} disabled={busy}>
          {busy ? t.copy.preparing : t.copy.get}
        </button>
      ) : (
        <>
          <ol className="copy-list">
            {copy.answers.map((a, i) => (
              <li key={a.questionId} data-testid="copied-answer">
                <h3>{a.followUp ? t.copy.followUp(i + 1) : t.copy.question(i + 1)}</h3>
                <p className="muted">{a.prompt}</p>
                {a.text != null && <p className="copy-text">{a.text}</p>}
                {a.videoUrl && (
                  <a className="button secondary small" href={a.videoUrl} download={a.videoFilename ?? undefined}>
                    {t.copy.video(i + 1)}
                  </a>
                )}
                {a.transcript && (
                  <details>
                    <summary>{t.copy.transcript}</summary>
                    <p>{a.transcript}</p>
                  </details>
                )}
                {!a.ready && <p className="muted">{t.copy.notReady}</p>}
              </li>
            ))}
          </ol>
          <p className="help">{t.copy.expires(Math.round(copy.urlExpiresInSeconds / 60))}</p>
          <button type="button" className="button secondary small" onClick={() => void get()} disabled={busy}>
            {t.copy.again}
          </button>
        </>
      )}
    </section>
  )
}
