import { type FormEvent, useEffect, useState } from 'react'
import { type Api, ApiError, createApi } from '../shared/api'
import { loadConfig } from '../shared/config'
import type { ResponseOf } from '../shared/types'
import { BrandLogo, useBrand } from '../shared/brand'
import { ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { type Locale, LocaleContext, ask, browserLang, localeFor, useLocale } from './locale'
import { Message } from './Message'
import type { Strings } from './strings/en'

type ApplyInfo = ResponseOf<'/api/c/apply/{slug}', 'get'>

/** A refusal told in the apply page's words when it has them, else in the app's. */
async function tell<T>(t: Strings, pending: Parameters<typeof ask<T>>[1]): Promise<NonNullable<T>> {
  try {
    return await ask(t, pending)
  } catch (e) {
    const words = e instanceof ApiError ? (t.apply.errors as Record<string, string | undefined>)[e.code] : undefined
    throw words && e instanceof ApiError ? new ApiError(words, e.code, e.status) : e
  }
}

/** The public apply page of an interview (a job ad's link): name, email and consent, then the emailed code,
 * then the candidate's own private link, opened at once. */
export function ApplyApp({ slug }: { slug: string }) {
  const [locale, setLocale] = useState<Locale>(() => localeFor(browserLang()))
  const { t } = locale
  const [api, setApi] = useState<Api>()
  const [info, setInfo] = useState<ApplyInfo>()
  const [failure, setFailure] = useState<unknown>(null)

  useEffect(() => {
    ;(async () => {
      const config = await loadConfig()
      const client = createApi(config.apiUrl, async () => null)
      const page = await tell(t, client.GET('/api/c/apply/{slug}', { params: { path: { slug } } }))
      setLocale(localeFor(page.locale))
      setApi(client)
      setInfo(page)
    })().catch(setFailure)
    // Once per slug: the page names its language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [slug])

  const orgName = info?.orgName ?? ''
  useBrand(info?.brand)
  useEffect(() => {
    document.documentElement.lang = locale.lang
    document.title = t.apply.documentTitle(orgName || t.appName)
  }, [locale, t, orgName])

  let page
  if (failure instanceof ApiError && failure.code === 'apply_link_not_found')
    page = (
      <Message title={t.apply.notFoundTitle} testId="apply-not-found" icon="link">
        <p>{t.apply.notFoundBody}</p>
      </Message>
    )
  else if (failure)
    page = (
      <Message title={t.error.title} testId="error">
        <ErrorMessage error={failure} />
      </Message>
    )
  else if (!info || !api) page = <Loading label={t.apply.loading} />
  else if (!info.open) page = <Closed orgName={orgName} />
  else page = <ApplyForm api={api} slug={slug} info={info} onClosed={() => setInfo({ ...info, open: false })} />

  return (
    <LocaleContext.Provider value={locale}>
      <div className="candidate-shell">
        <header className="candidate-header">
          <div className="candidate-header-inner">
            <BrandLogo brand={info?.brand} />
            <span className="org" data-testid="org-name">
              {orgName || t.appName}
            </span>
            {info && <span className="title">{info.interviewTitle}</span>}
          </div>
        </header>
        <main className="candidate-main" id="main">
          {page}
        </main>
      </div>
    </LocaleContext.Provider>
  )
}

function Closed({ orgName }: { orgName: string }) {
  const { t } = useLocale()
  return (
    <Message title={t.apply.closedTitle} testId="apply-closed" icon="clock">
      <p>{t.apply.closedBody(orgName || t.appName)}</p>
    </Message>
  )
}

function ApplyForm({ api, slug, info, onClosed }: { api: Api; slug: string; info: ApplyInfo; onClosed: () => void }) {
  const { t } = useLocale()
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [agreed, setAgreed] = useState(false)
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [opening, setOpening] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const path = { params: { path: { slug } } }

  const refused = (e: unknown) => {
    if (e instanceof ApiError && (e.code === 'apply_closed' || e.code === 'apply_cap_reached')) onClosed()
    else setError(e)
  }

  const sendCode = async (e?: FormEvent) => {
    e?.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const sent = await tell(t, api.POST('/api/c/apply/{slug}', { ...path, body: { name: name.trim(), email: email.trim(), consent: agreed } }))
      setSentTo(sent.email)
      setCode('')
    } catch (err) {
      refused(err)
    } finally {
      setBusy(false)
    }
  }

  const confirm = async (e: FormEvent) => {
    e.preventDefault()
    if (!sentTo) return
    setBusy(true)
    setError(null)
    try {
      const done = await tell(t, api.POST('/api/c/apply/{slug}/confirm', { ...path, body: { email: sentTo, code: code.trim() } }))
      setOpening(true)
      // The private link is on this same page (only the fragment differs): go there and load it.
      window.location.replace(done.inviteUrl)
      window.location.reload()
    } catch (err) {
      refused(err)
    } finally {
      setBusy(false)
    }
  }

  if (opening) return <Loading label={t.apply.opening} />

  if (sentTo)
    return (
      <form className="card stack" onSubmit={confirm} data-testid="apply-code">
        <PageHeading>{t.apply.codeHeading}</PageHeading>
        <p className="lead" role="status">
          {t.apply.codeSent(sentTo)}
        </p>
        <div className="field">
          <label htmlFor="apply-code">{t.apply.code}</label>
          <input
            id="apply-code"
            className="code-input"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          />
        </div>
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="submit" className="button big" disabled={busy || code.length !== 6}>
            {busy ? t.apply.checking : t.apply.confirm}
          </button>
          <button type="button" className="button secondary" disabled={busy} onClick={() => sendCode()}>
            {t.apply.newCode}
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => {
              setSentTo(null)
              setError(null)
            }}
          >
            {t.apply.otherAddress}
          </button>
        </div>
      </form>
    )

  return (
    <form className="card stack" onSubmit={sendCode} data-testid="apply-form">
      <PageHeading>{t.apply.heading}</PageHeading>
      <p className="lead">{t.apply.intro(info.interviewTitle, info.orgName || t.appName)}</p>
      <div className="field">
        <label htmlFor="apply-name">{t.apply.name}</label>
        <input id="apply-name" autoComplete="name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="apply-email">{t.apply.email}</label>
        <input id="apply-email" type="email" autoComplete="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
      </div>
      <section aria-labelledby="apply-privacy-title">
        <h2 id="apply-privacy-title">{t.apply.privacy}</h2>
        <div className="privacy" tabIndex={0} data-testid="privacy-notice" aria-labelledby="apply-privacy-title">
          {info.notice}
        </div>
      </section>
      <div className="check">
        <input id="apply-consent" type="checkbox" required checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />
        <label htmlFor="apply-consent">{t.apply.consent}</label>
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="button big" disabled={busy || !agreed}>
          {busy ? t.apply.sending : t.apply.send}
        </button>
      </div>
    </form>
  )
}
