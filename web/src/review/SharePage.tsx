/** A share link's page: one candidate for someone without an account. The answers are read-only; the guest may give
 * their opinion (scores, a recommendation, a comment) under their name. The token stays in the fragment. */
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { ApiError, call, createApi } from '../shared/api'
import { type AppConfig, loadConfig } from '../shared/config'
import { formatDate } from '../shared/i18n'
import type { DecisionValue, GuestOpinionIn, SharedCandidate } from '../shared/types'
import { BrandLogo, useBrand } from '../shared/brand'
import { ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { RecommendationField } from './candidate-page/RecommendationField'
import { t } from './strings'
import { SPEEDS, VideoAnswer } from './VideoAnswer'

type ShareApi = ReturnType<typeof createApi>

export function shareToken(hash: string): string | undefined {
  return /^#\/share\/([A-Za-z0-9_-]{20,})$/.exec(hash)?.[1]
}

export function SharePage({ token }: { token: string }) {
  const [config, setConfig] = useState<AppConfig>()
  const [configError, setConfigError] = useState<unknown>(null)
  useEffect(() => {
    loadConfig().then(setConfig, setConfigError)
  }, [])
  const api = useMemo(() => (config ? createApi(config.apiUrl, async () => token) : undefined), [config, token])
  return (
    <main className="page" id="main">
      {configError ? <ErrorMessage error={configError} title={t.configError} /> : api ? <Shared api={api} /> : <Loading label={t.loading} />}
    </main>
  )
}

function Shared({ api }: { api: ShareApi }) {
  const shared = useQuery({ queryKey: ['share'], queryFn: () => call(api.GET('/api/share/candidate')) })
  useBrand(shared.data?.brand)
  const [speed, setSpeed] = useState(SPEEDS[0]!)
  const [index, setIndex] = useState(0)
  if (shared.error) {
    const gone = shared.error instanceof ApiError && (shared.error.code === 'link_expired' || shared.error.code === 'link_revoked')
    return (
      <>
        <PageHeading>{gone ? t.share.goneTitle : t.share.invalidTitle}</PageHeading>
        <p data-testid="share-error">{gone ? (shared.error as ApiError).message : t.share.invalid}</p>
      </>
    )
  }
  const c = shared.data
  if (!c) return <Loading label={t.loading} />
  const current = Math.min(index, c.answers.length - 1)
  const a = c.answers[current]
  return (
    <>
      <p className="muted small share-from">
        <BrandLogo brand={c.brand} />
        {t.share.from(c.orgName, c.interviewTitle)}
      </p>
      <PageHeading>{c.label}</PageHeading>
      <p className="muted" data-testid="share-meta">
        {t.share.readOnly(formatDate(c.expiresAt, true))}
      </p>
      <div className="share-layout">
        <div className="share-main">
          {a && (
            <section className="card answer" data-testid="answer" aria-labelledby="share-q">
              <h2 className="visually-hidden">{t.candidate.answers}</h2>
              <p className="muted small">{t.candidate.answerOf(current + 1, c.answers.length)}</p>
              <h3 id="share-q" className="prompt">
                {a.prompt}
              </h3>
              {a.kind !== 'video' ? (
                <blockquote className="text-answer" aria-label={t.candidate.writtenAnswer}>
                  {a.text ?? t.candidate.pendingNote}
                </blockquote>
              ) : a.status === 'ready' && (a.videoUrl || a.audioUrl || c.blind) ? (
                <VideoAnswer key={a.questionId} answer={a} index={current + 1} speed={speed} onSpeed={setSpeed} />
              ) : (
                <p className="muted">{t.answerStatus[a.status] ?? a.status}</p>
              )}
            </section>
          )}
        </div>
        <aside className="share-aside">
          {c.answers.length > 1 && (
            <nav aria-labelledby="share-questions" className="card share-questions">
              <h2 id="share-questions">{t.share.questions}</h2>
              <ol className="share-question-list" data-testid="share-questions">
                {c.answers.map((x, i) => (
                  <li key={x.questionId}>
                    <button type="button" aria-current={i === current ? 'step' : undefined} onClick={() => setIndex(i)}>
                      <span className="question-number">{i + 1}</span>
                      <span className="share-q-prompt">{x.prompt}</span>
                      {i === current && <span className="visually-hidden"> ({t.share.showing})</span>}
                    </button>
                  </li>
                ))}
              </ol>
            </nav>
          )}
          <GuestOpinionForm api={api} shared={c} />
        </aside>
      </div>
    </>
  )
}

/** What the guest's browser keeps for the link: their name, the secret their first save returned (only it
 * revises their opinion), and the opinion as last saved. */
interface Guest {
  name: string
  secret?: string
  opinion?: Pick<GuestOpinionIn, 'scores' | 'comment' | 'recommendation'>
}

const storageKey = (shareId: string) => `oneway.share.guest.${shareId}`

function loadGuest(shareId: string): Guest | undefined {
  try {
    const kept = JSON.parse(localStorage.getItem(storageKey(shareId)) ?? 'null') as Guest | null
    return kept && typeof kept.name === 'string' && kept.name.trim() ? kept : undefined
  } catch {
    return undefined
  }
}

function keepGuest(shareId: string, guest: Guest | undefined) {
  try {
    if (guest) localStorage.setItem(storageKey(shareId), JSON.stringify(guest))
    else localStorage.removeItem(storageKey(shareId))
  } catch {
    // Private browsing without storage: the opinion is still saved; the name is asked again next time.
  }
}

function GuestOpinionForm({ api, shared }: { api: ShareApi; shared: SharedCandidate }) {
  const [guest, setGuest] = useState<Guest | undefined>(() => loadGuest(shared.shareId))
  const [nameDraft, setNameDraft] = useState('')
  const [scores, setScores] = useState<Record<string, number>>(guest?.opinion?.scores ?? {})
  const [recommendation, setRecommendation] = useState<DecisionValue | ''>(guest?.opinion?.recommendation ?? '')
  const [comment, setComment] = useState(guest?.opinion?.comment ?? '')
  const remember = (next: Guest | undefined) => {
    keepGuest(shared.shareId, next)
    setGuest(next)
  }
  const save = useMutation({
    mutationFn: async (who: Guest) => {
      const body: GuestOpinionIn = {
        guestName: who.name,
        guestSecret: who.secret ?? null,
        scores,
        comment: comment.trim() || null,
        recommendation: recommendation || null,
      }
      const saved = await call(api.PUT('/api/share/opinion', { body }))
      remember({ name: who.name, secret: saved.guestSecret ?? who.secret, opinion: { scores, comment: body.comment, recommendation: body.recommendation } })
      return saved
    },
  })

  return (
    <section className="card guest-opinion" aria-labelledby="guest-title" data-testid="guest-opinion-form">
      <h2 id="guest-title">{t.share.guest.title}</h2>
      {!shared.acceptsOpinions ? (
        <p className="muted">{t.share.guest.closed}</p>
      ) : !guest ? (
        <form
          className="stack"
          data-testid="guest-name-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (nameDraft.trim()) remember({ name: nameDraft.trim().replace(/\s+/g, ' ') })
          }}
        >
          <p className="muted small">{t.share.guest.intro}</p>
          <div className="field">
            <label htmlFor="guest-name">{t.share.guest.name}</label>
            <input id="guest-name" autoComplete="name" required maxLength={60} value={nameDraft} onChange={(e) => setNameDraft(e.target.value)} />
          </div>
          <button type="submit" className="button">
            {t.share.guest.start}
          </button>
        </form>
      ) : (
        <form className="stack" data-testid="guest-form" onSubmit={(e) => (e.preventDefault(), save.mutate(guest))}>
          <p className="row spread wrap small">
            <span data-testid="guest-as">{t.share.guest.as(guest.name)}</span>
            <button type="button" className="link-button" onClick={() => (save.reset(), remember(undefined))}>
              {t.share.guest.changeName}
            </button>
          </p>
          {shared.rubric.map((item, i) => (
            <fieldset key={item.name} className="score" data-testid="guest-score">
              <legend>
                <span className="score-name">{item.name}</span>
                <span className="visually-hidden">{t.candidate.scoreLegend(item.name)}</span>
              </legend>
              {item.description && <p className="help">{item.description}</p>}
              <div className="score-options">
                {[1, 2, 3, 4, 5].map((n) => (
                  <label key={n} className="score-option" title={item.anchors?.[n - 1] || undefined}>
                    <input
                      type="radio"
                      name={`guest-score-${i}`}
                      value={n}
                      checked={scores[item.name] === n}
                      onChange={() => setScores((s) => ({ ...s, [item.name]: n }))}
                    />
                    <span>{t.candidate.score(n)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
          <RecommendationField id="guest-recommendation" value={recommendation} onChange={setRecommendation} />
          <div className="field">
            <label htmlFor="guest-comment">{t.share.guest.comment}</label>
            <textarea id="guest-comment" rows={4} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
          </div>
          <ErrorMessage error={save.error} />
          <div className="row wrap">
            <button type="submit" className="button" disabled={save.isPending}>
              {save.isPending ? t.saving : t.share.guest.save}
            </button>
            <span role="status" className="success-text" data-testid="guest-saved">
              {save.isSuccess ? t.share.guest.saved(guest.name) : ''}
            </span>
          </div>
        </form>
      )}
    </section>
  )
}
