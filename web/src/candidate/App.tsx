import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { type Api, ApiError, createApi } from '../shared/api'
import { loadConfig } from '../shared/config'
import type { Session } from '../shared/types'
import { BrandLogo, useBrand } from '../shared/brand'
import { ErrorMessage, Loading } from '../shared/ui'
import { type Candidate, CandidateContext } from './context'
import { DeviceCheck } from './DeviceCheck'
import { Done } from './Done'
import { Finish } from './Finish'
import { FollowUpDone, FollowUpFinish, FollowUpIntro } from './FollowUps'
import { stopStream } from '../shared/media'
import { Message } from './Message'
import { scopeOf } from './pending'
import { Practice } from './Practice'
import { Questions } from './Questions'
import { Status } from './Status'
import { type Stop, stopFor } from './stops'
import { type Locale, LocaleContext, ask, browserLang, localeFor, useLocale } from './locale'
import { readToken } from './token'
import { Welcome } from './Welcome'

type Step = 'welcome' | 'device' | 'practice' | 'questions' | 'finish' | 'done' | 'followUps' | 'followUpsFinish' | 'followUpsDone'

const OPEN = ['invited', 'started']

export function App() {
  const token = useMemo(() => readToken(), [])
  const [candidate, setCandidate] = useState<Candidate>()
  const [session, setSession] = useState<Session>()
  const [stop, setStop] = useState<Stop | null>(token ? null : { kind: 'noToken' })
  const [step, setStep] = useState<Step>('welcome')
  const [stream, setStream] = useState<MediaStream | null>(null)
  // The browser's language until the session says the interview's.
  const [locale, setLocale] = useState<Locale>(() => localeFor(browserLang()))
  const { t } = locale

  // A new link pasted into the same tab is a new invitation: start over.
  useEffect(() => {
    const onHash = () => readToken() !== token && window.location.reload()
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [token])

  // A link refused after its known deadline is a deadline passed (the server answers expired links like unknown ones).
  const deadline = useRef<string | null>(null)
  const fail = useCallback((error: unknown) => {
    const expired = error instanceof ApiError && error.status === 401 && !!deadline.current && new Date(deadline.current).getTime() <= Date.now()
    setStop(expired ? { kind: 'deadline' } : (stopFor(error) ?? { kind: 'error', error }))
  }, [])

  useEffect(() => {
    if (!token) return
    let api: Api
    ;(async () => {
      const config = await loadConfig()
      api = createApi(config.apiUrl, async () => token)
      const [current, scope] = await Promise.all([ask(t, api.GET('/api/c/session')), scopeOf(token)])
      setLocale(localeFor(current.locale))
      setCandidate({ api, scope, liveUpload: current.liveUpload ?? true })
      setSession(current)
      deadline.current = current.deadline
      // After submitting, the same link answers the follow-up questions waiting for the candidate, if any.
      if (current.followUps) setStep('followUps')
      else if (!OPEN.includes(current.status)) setStop({ kind: 'submitted' })
    })().catch(fail)
    // Not on `t`: the session sets the language, and a new language must not load the session again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, fail])

  // The camera goes off as soon as no more recording is needed.
  useEffect(() => {
    if (step === 'finish' || step === 'done' || step === 'followUpsFinish' || step === 'followUpsDone' || stop) stopStream(stream)
  }, [step, stop, stream])

  const orgName = session?.interview.orgName ?? ''
  const brand = session?.interview.brand
  useBrand(brand)

  // Screen readers pronounce the page in its language; the tab names the organization in it.
  useEffect(() => {
    document.documentElement.lang = locale.lang
    document.title = t.documentTitle(orgName || t.appName)
  }, [locale, t, orgName])
  // Follow-up questions (after submitting) go through the same steps as the interview's questions.
  const followUps = session?.followUps ?? null
  const asking = followUps !== null && step !== 'welcome'
  const questions = (asking ? followUps?.questions : session?.questions) ?? []
  const answeredAll = !!session && questions.every((q) => q.answered)
  // A candidate granted written answers for everything needs no camera.
  const needsCamera = !!session && questions.some((q) => q.kind === 'video' && !q.answered)

  let page
  if (stop?.kind === 'submitted' && session) page = <Status session={session} />
  else if (stop) page = <StopPage stop={stop} orgName={orgName} />
  else if (!session || !candidate) page = <Loading label={t.loading} />
  else if (step === 'welcome')
    page = (
      <Welcome
        session={session}
        onSession={setSession}
        onConsented={() => setStep(answeredAll ? 'finish' : needsCamera ? 'device' : 'questions')}
        onError={fail}
      />
    )
  else if (step === 'device')
    page = (
      <DeviceCheck
        stream={stream}
        onStream={setStream}
        allowAudio={session.allowAudioAnswers ?? false}
        onContinue={() => {
          const fresh = session.questions.every((q) => !q.answered && q.takesUsed === 0)
          if (asking) setStep(answeredAll ? 'followUpsFinish' : 'questions')
          else setStep(answeredAll ? 'finish' : session.practiceQuestion && fresh ? 'practice' : 'questions')
        }}
      />
    )
  else if (step === 'practice' && stream) page = <Practice stream={stream} onDone={() => setStep('questions')} />
  else if (step === 'followUps' && followUps)
    page = (
      <FollowUpIntro
        orgName={orgName}
        followUps={followUps}
        onStart={() => setStep(answeredAll ? 'followUpsFinish' : needsCamera ? 'device' : 'questions')}
      />
    )
  else if (step === 'questions' && (stream || !needsCamera))
    page = (
      <Questions
        key={asking ? 'follow-ups' : 'interview'}
        session={asking && followUps ? { ...session, questions: followUps.questions } : session}
        stream={stream}
        onAnswered={(questionId) =>
          setSession((s) => {
            if (!s) return s
            const mark = (qs: typeof s.questions) => qs.map((q) => (q.questionId === questionId ? { ...q, answered: true } : q))
            return asking && s.followUps ? { ...s, followUps: { ...s.followUps, questions: mark(s.followUps.questions) } } : { ...s, questions: mark(s.questions) }
          })
        }
        onAllAnswered={() => setStep(asking ? 'followUpsFinish' : 'finish')}
        onError={fail}
      />
    )
  else if (step === 'followUpsFinish') page = <FollowUpFinish onSent={() => setStep('followUpsDone')} onError={fail} />
  else if (step === 'followUpsDone') page = <FollowUpDone orgName={orgName} />
  else if (step === 'finish')
    page = (
      <Finish
        onFinished={() => setStep('done')}
        onError={fail}
        onReopened={async () => {
          // An answer sent earlier was refused after upload: read which question is open again, and record it.
          const current = await ask(t, candidate.api.GET('/api/c/session'))
          setSession(current)
          setStep('device')
        }}
      />
    )
  else if (step === 'done') page = <Done orgName={orgName} closingVideo={session?.interview.closingVideo ?? undefined} />
  else page = <Loading label={t.loading} />

  return (
    <LocaleContext.Provider value={locale}>
      <CandidateContext.Provider value={candidate ?? null}>
        <div className="candidate-shell">
          <header className="candidate-header">
            <div className="candidate-header-inner">
              <BrandLogo brand={brand} />
              <span className="org" data-testid="org-name">
                {orgName || t.appName}
              </span>
              {session && <span className="title">{session.interview.title}</span>}
            </div>
          </header>
          <main className="candidate-main" id="main">
            {page}
          </main>
        </div>
      </CandidateContext.Provider>
    </LocaleContext.Provider>
  )
}

function StopPage({ stop, orgName }: { stop: Stop; orgName: string }) {
  const { t } = useLocale()
  switch (stop.kind) {
    case 'noToken':
      return (
        <Message title={t.noToken.title} testId="no-token" icon="link">
          <p>{t.noToken.body}</p>
        </Message>
      )
    case 'badToken':
      return (
        <Message title={t.badToken.title} testId="bad-token" icon="link">
          <p>{t.badToken.body}</p>
        </Message>
      )
    case 'deadline':
      return (
        <Message title={t.deadline.title} testId="deadline-passed" icon="clock">
          <p>{t.deadline.body}</p>
        </Message>
      )
    case 'submitted':
      return (
        <Message title={t.submitted.title} testId="already-submitted" icon="check">
          <p>{t.submitted.body(orgName)}</p>
        </Message>
      )
    default:
      return (
        <Message title={t.error.title} testId="error">
          <ErrorMessage error={stop.error} />
          <p>
            <button type="button" className="button" onClick={() => window.location.reload()}>
              {t.retry}
            </button>
          </p>
        </Message>
      )
  }
}
