import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import type { Auth, Challenge } from '../shared/auth'
import { BrandMark, ErrorMessage, PageHeading } from '../shared/ui'
import { t } from './strings'
import { TotpSetup } from './TotpSetup'

export function SignIn({ auth, notice, onSignedIn }: { auth: Auth; notice?: string; onSignedIn: () => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [challenge, setChallenge] = useState<Challenge | null>(null)
  const [answer, setAnswer] = useState('')
  const submit = useMutation({
    mutationFn: () => (challenge ? auth.respond(challenge, answer) : auth.signIn(email, password)),
    onSuccess: (result) => {
      if (result.done) onSignedIn()
      else {
        setChallenge(result.challenge)
        setAnswer('')
      }
    },
  })
  const busy = submit.isPending
  const error = submit.error

  if (challenge?.kind === 'mfaSetup') {
    // The pool asks for a second factor this account does not have yet: set it up, and sign-in completes.
    return (
      <main className="signin" id="main">
        <div className="card signin-card">
          <PageHeading>{t.mfa.requiredTitle}</PageHeading>
          <p>{t.signIn.mfaSetupHelp}</p>
          <TotpSetup auth={auth} email={email.trim()} onDone={onSignedIn} />
        </div>
      </main>
    )
  }

  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={(e) => (e.preventDefault(), submit.mutate())} aria-describedby="signin-intro">
        <div className="brand large" aria-hidden="true">
          <BrandMark />
          {t.appName}
        </div>
        <PageHeading>{t.signIn.title}</PageHeading>
        <p id="signin-intro" className="muted">
          {t.signIn.intro}
        </p>
        {notice && !error && (
          <div className="notice" role="status">
            {notice}
          </div>
        )}
        <ErrorMessage error={error} />
        {!challenge ? (
          <>
            <div className="field">
              <label htmlFor="signin-email">{t.signIn.email}</label>
              <input id="signin-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="signin-password">{t.signIn.password}</label>
              <input
                id="signin-password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </div>
            <button type="submit" className="button wide" disabled={busy}>
              {busy ? t.signIn.busy : t.signIn.submit}
            </button>
          </>
        ) : challenge.kind === 'newPassword' ? (
          <>
            <p>{t.signIn.newPasswordHelp}</p>
            <div className="field">
              <label htmlFor="signin-new-password">{t.signIn.newPassword}</label>
              <input
                id="signin-new-password"
                type="password"
                autoComplete="new-password"
                required
                value={answer}
                onChange={(e) => setAnswer(e.target.value)}
              />
            </div>
            <button type="submit" className="button wide" disabled={busy}>
              {t.signIn.setPassword}
            </button>
          </>
        ) : (
          <>
            <p id="signin-code-help">{challenge.kind === 'totp' ? t.signIn.codeHelp : t.signIn.smsHelp}</p>
            <div className="field">
              <label htmlFor="signin-code">{t.signIn.code}</label>
              <input
                id="signin-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                required
                aria-describedby="signin-code-help"
                value={answer}
                onChange={(e) => setAnswer(e.target.value)}
              />
            </div>
            <button type="submit" className="button wide" disabled={busy}>
              {t.signIn.verify}
            </button>
          </>
        )}
      </form>
    </main>
  )
}
