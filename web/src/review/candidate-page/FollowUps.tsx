/** Follow-up questions to this candidate: the rounds asked (sent, answered n of 3, deadline, each question's video),
 * cancelling one not answered yet, and asking a new round (one to three questions, a video question recorded or
 * uploaded as a video if the member likes) between submission and decision. The round goes once its videos are ready. */
import { useState } from 'react'
import { call } from '../../shared/api'
import { formatDate } from '../../shared/i18n'
import type { CandidateDetail } from '../../shared/types'
import { ErrorMessage } from '../../shared/ui'
import { QuestionVideo, type QuestionMedia } from '../QuestionVideo'
import { useSession } from '../context'
import { useAct } from '../queries'
import { t } from '../strings'
import { UNSUBMITTED } from './detail'

const MAX = 3
type Kind = 'video' | 'text'
type Draft = { prompt: string; kind: Kind; media?: QuestionMedia }
const BLANK: Draft = { prompt: '', kind: 'video' }

export function FollowUps({ candidate: c, onChanged }: { candidate: CandidateDetail; onChanged: () => Promise<unknown> }) {
  const { api } = useSession()
  const act = useAct(onChanged)
  const [questions, setQuestions] = useState<Draft[]>([BLANK])
  const [days, setDays] = useState(5)
  const rounds = c.followUps ?? []
  const path = { params: { path: { candidateId: c.candidateId } } }
  const waiting = rounds.some((r) => r.state === 'open')
  const why = UNSUBMITTED.includes(c.status) ? t.candidate.followUps.notNow.submitted : c.decision ? t.candidate.followUps.notNow.decided : waiting ? t.candidate.followUps.notNow.waiting : null
  const videos = questions.flatMap((q) => (q.kind === 'video' && q.media ? [q.media] : []))
  const preparing = videos.some((m) => m.status !== 'ready' && m.status !== 'failed')
  const failed = videos.some((m) => m.status === 'failed')
  const set = (i: number, change: Partial<Draft>) => setQuestions((qs) => qs.map((q, j) => (j === i ? { ...q, ...change } : q)))

  return (
    <section className="section card stack" aria-labelledby="follow-ups-title" data-testid="follow-ups">
      <h2 id="follow-ups-title">{t.candidate.followUps.title}</h2>
      <p className="muted small">{t.candidate.followUps.help}</p>
      {rounds.length === 0 ? (
        <p className="muted">{t.candidate.followUps.none}</p>
      ) : (
        <ul className="plain stack">
          {rounds.map((r) => (
            <li key={r.number} data-testid="follow-up-round" data-state={r.state}>
              <div className="row spread">
                <strong>
                  {t.candidate.followUps.round(r.number)} · <span data-testid="follow-up-state">{t.candidate.followUps.state[r.state] ?? r.state}</span>
                </strong>
                <span className="muted small" data-testid="follow-up-progress">
                  {t.candidate.followUps.progress(r.answered, r.questions.length)}
                  {r.state === 'open' ? ` · ${t.candidate.followUps.due(formatDate(r.dueAt))}` : ''}
                </span>
              </div>
              <ol className="plain-numbers">
                {r.questions.map((q) => (
                  <li key={q.questionId}>
                    {q.prompt} <span className="muted small">({t.candidate.followUps.kinds[q.kind] ?? q.kind})</span>
                    {q.media?.videoUrl && (
                      <div className="stage follow-up-question-stage">
                      <video
                        className="playback follow-up-question-video"
                        controls
                        playsInline
                        preload="metadata"
                        crossOrigin="anonymous"
                        src={q.media.videoUrl}
                        poster={q.media.posterUrl ?? undefined}
                        aria-label={t.candidate.followUps.questionVideo(Number(q.questionId.split('-')[1]) || 1)}
                        data-testid="follow-up-question-video"
                      >
                        {q.media.captionsUrl && <track kind="captions" src={q.media.captionsUrl} srcLang="en" label={t.candidate.captions} default />}
                      </video>
                      </div>
                    )}
                  </li>
                ))}
              </ol>
              {r.state === 'open' && (
                <button
                  type="button"
                  className="button secondary small"
                  onClick={() =>
                    act.mutate(() =>
                      call(api.POST('/api/candidates/{candidateId}/follow-ups/{number}/cancel', { params: { path: { candidateId: c.candidateId, number: String(r.number) } } })),
                    )
                  }
                >
                  {t.candidate.followUps.cancel}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {c.canAskFollowUps ? (
        <form
          className="stack"
          data-testid="ask-follow-ups"
          onSubmit={(e) => {
            e.preventDefault()
            const body = {
              questions: questions.map((q) => ({ prompt: q.prompt.trim(), kind: q.kind, mediaId: q.kind === 'video' ? q.media?.mediaId : undefined })),
              deadlineDays: days,
            }
            act.mutate(async () => {
              await call(api.POST('/api/candidates/{candidateId}/follow-ups', { ...path, body }))
              setQuestions([BLANK])
            })
          }}
        >
          <h3>{t.candidate.followUps.ask}</h3>
          {questions.map((q, i) => (
            <div key={i} className="stack follow-up-question">
              <label htmlFor={`follow-up-${i}`}>{t.candidate.followUps.prompt(i + 1)}</label>
              <textarea id={`follow-up-${i}`} rows={2} maxLength={2000} required value={q.prompt} onChange={(e) => set(i, { prompt: e.target.value })} />
              <div className="row">
                <label htmlFor={`follow-up-kind-${i}`}>{t.candidate.followUps.kind(i + 1)}</label>
                <select id={`follow-up-kind-${i}`} value={q.kind} onChange={(e) => set(i, { kind: e.target.value as Kind, media: undefined })}>
                  <option value="video">{t.candidate.followUps.kinds.video}</option>
                  <option value="text">{t.candidate.followUps.kinds.text}</option>
                </select>
                {questions.length > 1 && (
                  <button type="button" className="button secondary small" onClick={() => setQuestions((qs) => qs.filter((_, j) => j !== i))}>
                    {t.candidate.followUps.removeQuestion(i + 1)}
                  </button>
                )}
              </div>
              {q.kind === 'video' && (
                <QuestionVideo api={api} interviewId={undefined} candidateId={c.candidateId} index={i + 1} media={q.media} onChange={(media) => set(i, { media })} />
              )}
            </div>
          ))}
          <p className="muted small">{t.candidate.followUps.limits}</p>
          <div className="row">
            {questions.length < MAX && (
              <button type="button" className="button secondary small" onClick={() => setQuestions((qs) => [...qs, BLANK])}>
                {t.candidate.followUps.add}
              </button>
            )}
            <label htmlFor="follow-up-days">{t.candidate.followUps.days}</label>
            <input id="follow-up-days" type="number" min={1} max={30} value={days} onChange={(e) => setDays(Number(e.target.value) || 5)} style={{ width: '5em' }} />
          </div>
          <div className="stack">
            <div>
              <button
                type="submit"
                className="button"
                data-testid="ask-follow-ups-send"
                disabled={act.isPending || preparing || failed || questions.some((q) => !q.prompt.trim())}
              >
                {act.isPending ? t.candidate.followUps.sending : preparing ? t.candidate.followUps.preparing : t.candidate.followUps.send}
              </button>
            </div>
            {preparing && <p className="muted small" role="status">{t.candidate.followUps.preparingHelp}</p>}
            {failed && <p className="notice notice-warn" role="alert">{t.candidate.followUps.videoFailed}</p>}
          </div>
        </form>
      ) : (
        why && <p className="muted small" data-testid="follow-ups-why-not">{why}</p>
      )}
      <ErrorMessage error={act.error} />
    </section>
  )
}
