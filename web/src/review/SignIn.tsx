import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import type { Auth, Challenge } from '../shared/auth'
import { BrandMark, ErrorMessage, PageHeading } from '../shared/ui'
import { PasswordReset } from './PasswordReset'
import { t } from './strings'
import { TotpSetup } from './TotpSetup'

export function SignIn({ auth, notice, onSignedIn }: { auth: Auth; notice?: string; onSignedIn: () => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [challenge, setChallenge] = useState<Challenge | null>(null)
  const [answer, setAnswer] = useState('')
  // "Forgot password", or a password an admin reset: a code from the pool and a new password, then sign-in.
  const [recovery, setRecovery] = useState<{ email?: string; adminReset?: boolean } | null>(null)
  const submit = useMutation({
    mutationFn: (changed?: { email: string; password: string }) =>
      challenge && !changed ? auth.respond(challenge, answer) : auth.signIn(changed?.email ?? email, changed?.password ?? password),
    onSuccess: (result) => {
      if (result.done) onSignedIn()
      else if (result.challenge.kind === 'resetRequired') setRecovery({ email: email.trim(), adminReset: true })
      else {
        setChallenge(result.challenge)
        setAnswer('')
      }
    },
  })
  const busy = submit.isPending
  const error = submit.error

  if (recovery) {
    return (
      <PasswordReset
        auth={auth}
        email={recovery.email}
        adminReset={recovery.adminReset}
        onBack={() => setRecovery(null)}
        onChanged={(changedEmail, changedPassword) => {
          setRecovery(null)
          setChallenge(null)
          setEmail(changedEmail)
          setPassword('')
          submit.mutate({ email: changedEmail, password: changedPassword })
        }}
      />
    )
  }

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
      <form className="card signin-card" onSubmit={(e) => (e.preventDefault(), submit.mutate(undefined))} aria-describedby="signin-intro">
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
            <p className="signin-links">
              <button type="button" className="link-button" onClick={() => setRecovery({})}>
                {t.signIn.forgot}
              </button>
            </p>
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
