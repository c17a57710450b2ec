import { QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { ApiError, call, createApi } from '../shared/api'
import { Auth } from '../shared/auth'
import { type AppConfig, loadConfig } from '../shared/config'
import type { Me } from '../shared/types'
import { BrandLogo, useBrand } from '../shared/brand'
import { BrandMark, ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { AnalyticsPage } from './AnalyticsPage'
import { AuditPage } from './AuditPage'
import { CandidatePage } from './CandidatePage'
import { ComparePage } from './ComparePage'
import { SessionContext, useSession } from './context'
import { InterviewForm } from './InterviewForm'
import { InterviewList } from './InterviewList'
import { InterviewPage } from './InterviewPage'
import { MembersPage } from './MembersPage'
import { newQueryClient } from './queries'
import { href, type Route, useRoute } from './router'
import { SecurityPage } from './SecurityPage'
import { SharePage, shareToken } from './SharePage'
import { SignIn } from './SignIn'
import { t } from './strings'

type State =
  | { kind: 'starting' }
  | { kind: 'broken'; error: unknown }
  | { kind: 'signedOut'; notice?: string }
  | { kind: 'signedIn'; me: Me }

export function App() {
  const token = shareToken(window.location.hash)
  const [queries] = useState(newQueryClient)
  return <QueryClientProvider client={queries}>{token ? <SharePage token={token} /> : <ReviewApp />}</QueryClientProvider>
}

function ReviewApp() {
  const [config, setConfig] = useState<AppConfig>()
  const [state, setState] = useState<State>({ kind: 'starting' })
  const [mfaRequired, setMfaRequired] = useState(false)
  const queries = useQueryClient()
  const route = useRoute()
  const section = sectionOf(route)
  // On a phone the navigation folds into a menu; a new page closes it.
  const [menuOpen, setMenuOpen] = useState(false)
  useEffect(() => setMenuOpen(false), [route])
  const menuButton = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  // Opened, the menu takes the keyboard to its first entry; Escape (or a press outside it) closes it, and Escape
  // brings the keyboard back to the button.
  useEffect(() => {
    if (!menuOpen) return
    menu.current?.querySelector<HTMLElement>('a, button')?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      setMenuOpen(false)
      menuButton.current?.focus()
    }
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node
      if (!menu.current?.contains(target) && !menuButton.current?.contains(target)) setMenuOpen(false)
    }
    document.addEventListener('keydown', onKey)
    document.addEventListener('pointerdown', onPointer)
    return () => {
      document.removeEventListener('keydown', onKey)
      document.removeEventListener('pointerdown', onPointer)
    }
  }, [menuOpen])
  const current = (name: Section) => (section === name ? ('page' as const) : undefined)
  useEffect(() => {
    if (state.kind !== 'signedIn') queries.clear() // nothing of one member's stays for the next
  }, [state.kind, queries])

  useEffect(() => {
    loadConfig().then(setConfig, (error: unknown) => setState({ kind: 'broken', error }))
  }, [])

  const auth = useMemo(() => (config ? new Auth(config) : undefined), [config])
  const api = useMemo(() => {
    if (!config || !auth) return undefined
    // A 401 means the refresh token is gone or revoked: back to the sign-in page.
    return createApi(
      config.apiUrl,
      () => auth.accessToken(),
      () => {
        void auth.signOut()
        setState({ kind: 'signedOut', notice: t.signIn.sessionExpired })
      },
      (code) => {
        // The organization began to require two-step verification: /api/me says so, and the setup screen follows.
        if (code === 'mfa_required') setMfaRequired(true)
        // An admin removed this member: the session ends here too.
        if (code === 'no_membership') {
          void auth.signOut()
          setState({ kind: 'signedOut', notice: t.signIn.noMembership })
        }
      },
    )
  }, [config, auth])

  const loadMe = useCallback(async () => {
    if (!auth || !api) return
    if (!(await auth.session())) {
      setState({ kind: 'signedOut' })
      return
    }
    try {
      const me = await call(api.GET('/api/me'), t.networkError)
      setState({ kind: 'signedIn', me })
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) setState({ kind: 'broken', error })
    }
  }, [auth, api])

  useEffect(() => {
    void loadMe()
  }, [loadMe])

  useEffect(() => {
    if (!mfaRequired) return
    setMfaRequired(false)
    void loadMe()
  }, [mfaRequired, loadMe])

  useBrand(state.kind === 'signedIn' ? state.me.brand : undefined)

  const signOut = async () => {
    await auth?.signOut()
    setState({ kind: 'signedOut' })
  }

  if (state.kind === 'broken') {
    return (
      <main className="page narrow" id="main">
        <PageHeading>{t.appName}</PageHeading>
        <ErrorMessage error={state.error} title={config ? undefined : t.configError} />
        <button type="button" className="button" onClick={() => window.location.reload()}>
          {t.retry}
        </button>
      </main>
    )
  }
  if (state.kind === 'starting' || !auth || !api) {
    return (
      <main className="page narrow" id="main">
        <Loading label={t.loadingConfig} />
      </main>
    )
  }
  if (state.kind === 'signedOut') {
    return <SignIn auth={auth} notice={state.notice} onSignedIn={loadMe} />
  }
  const me = state.me
  // Until a member whose organization requires two-step verification has set it up, that is all they can do.
  const mustSetUpMfa = me.mfaRequired && !me.mfaEnabled
  const setMe = (next: Me) => setState({ kind: 'signedIn', me: next })
  return (
    <SessionContext.Provider value={{ api, auth, me, setMe }}>
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t.skipToContent}
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <a className="brand" href={href.interviews()}>
            <BrandMark />
            {t.appName}
          </a>
          <span className="org-name" data-testid="org-name">
            <BrandLogo brand={state.me.brand} />
            <span className="org-name-text">{state.me.orgName}</span>
          </span>
          <button
            type="button"
            className="button secondary small menu-button"
            ref={menuButton}
            aria-expanded={menuOpen}
            aria-controls="header-menu"
            onClick={() => setMenuOpen((o) => !o)}
          >
            {t.header.menu}
          </button>
          <div
            className="header-menu"
            id="header-menu"
            data-open={menuOpen}
            ref={menu}
            // Tabbing out of the open menu closes it.
            onBlur={(e) => {
              const to = e.relatedTarget as Node | null
              if (menuOpen && to && !e.currentTarget.contains(to) && !menuButton.current?.contains(to)) setMenuOpen(false)
            }}
          >
            {!mustSetUpMfa && (
              <nav aria-label={t.header.nav} className="header-nav">
                <a href={href.interviews()} aria-current={current('interviews')}>
                  {t.header.interviews}
                </a>
                {state.me.role !== 'reviewer' && (
                  <a href={href.members()} aria-current={current('members')}>
                    {t.header.members}
                  </a>
                )}
                <a href={href.security()} aria-current={current('security')}>
                  {t.header.security}
                </a>
                {state.me.role === 'admin' && (
                  <a href={href.audit()} aria-current={current('audit')}>
                    {t.header.audit}
                  </a>
                )}
              </nav>
            )}
            <span className="signed-in-as" title={state.me.email}>
              {t.header.signedInAs(state.me.email)}
            </span>
            <button type="button" className="button secondary small" onClick={() => void signOut()}>
              {t.header.signOut}
            </button>
          </div>
        </div>
      </header>
      <main className="page" id="main" tabIndex={-1}>
        {mustSetUpMfa ? <SecurityPage required /> : <Routes />}
      </main>
    </SessionContext.Provider>
  )
}

type Section = 'interviews' | 'members' | 'security' | 'audit' | null

/** The navigation entry a page belongs to: an interview's pages and its candidates are under Interviews. */
function sectionOf(route: Route): Section {
  if (route.name === 'members' || route.name === 'security' || route.name === 'audit') return route.name
  return route.name === 'notFound' ? null : 'interviews'
}

function Routes() {
  const route = useRoute()
  switch (route.name) {
    case 'interviews':
      return <InterviewList />
    case 'newInterview':
      return <InterviewForm />
    case 'interview':
      return <InterviewPage key={route.interviewId} interviewId={route.interviewId} />
    case 'editInterview':
      return <EditInterview key={route.interviewId} interviewId={route.interviewId} />
    case 'analytics':
      return <AnalyticsPage key={route.interviewId} interviewId={route.interviewId} />
    case 'compare':
      return <ComparePage key={route.interviewId} interviewId={route.interviewId} />
    case 'members':
      return <MembersPage />
    case 'security':
      return <SecurityPage />
    case 'audit':
      return <AuditPage />
    case 'candidate':
      return <CandidatePage key={`${route.candidateId}?${route.questionId}@${route.at}`} candidateId={route.candidateId} questionId={route.questionId} at={route.at} />
    default:
      return (
        <>
          <PageHeading>{t.notFound}</PageHeading>
          <a href={href.interviews()}>{t.backToInterviews}</a>
        </>
      )
  }
}

function EditInterview({ interviewId }: { interviewId: string }) {
  const { api } = useSession()
  const interview = useQuery({ queryKey: ['interview', interviewId], queryFn: () => call(api.GET('/api/interviews/{interviewId}', { params: { path: { interviewId } } })) })
  if (interview.error) return <ErrorMessage error={interview.error} />
  if (!interview.data) return <Loading label={t.loading} />
  return <InterviewForm existing={interview.data} />
}
