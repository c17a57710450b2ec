import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import type { Auth } from '../shared/auth'
import { ErrorMessage, PageHeading } from '../shared/ui'
import { t } from './strings'

/** What the pool answers that a person can act on, in words; anything else as the pool says it. */
function recoveryError(error: unknown): Error | null {
  if (!error) return null
  const code = (error as { code?: string }).code
  const known: Record<string, string> = {
    CodeMismatchException: t.recovery.wrongCode,
    ExpiredCodeException: t.recovery.expiredCode,
    LimitExceededException: t.recovery.tooMany,
    TooManyRequestsException: t.recovery.tooMany,
  }
  return code && known[code] ? new Error(known[code]) : (error as Error)
}

/**
 * Choosing a new password with a code the user pool emails: after "Forgot password" (the email asked first), or
 * after an admin reset the password (sign-in said so; the code is on its way). Then signs in with it.
 */
export function PasswordReset({
  auth,
  email: known,
  adminReset,
  onBack,
  onChanged,
}: {
  auth: Auth
  email?: string
  adminReset?: boolean
  onBack: () => void
  onChanged: (email: string, password: string) => void
}) {
  const [email, setEmail] = useState(known ?? '')
  const [sent, setSent] = useState(Boolean(known))
  const [code, setCode] = useState('')
  const [password, setPassword] = useState('')
  const ask = useMutation({ mutationFn: () => auth.forgotPassword(email), onSuccess: () => setSent(true) })
  const confirm = useMutation({
    mutationFn: () => auth.confirmPassword(email, code, password),
    onSuccess: () => onChanged(email.trim(), password),
  })
  const busy = ask.isPending || confirm.isPending

  return (
    <main className="signin" id="main">
      <form
        className="card signin-card"
        aria-describedby="reset-intro"
        onSubmit={(e) => {
          e.preventDefault()
          if (sent) confirm.mutate()
          else ask.mutate()
        }}
      >
        <PageHeading>{t.recovery.title}</PageHeading>
        <p id="reset-intro">{!sent ? t.recovery.askIntro : adminReset ? t.recovery.adminResetIntro : t.recovery.codeIntro(email.trim())}</p>
        <ErrorMessage error={recoveryError(ask.error ?? confirm.error)} />
        {!sent ? (
          <>
            <div className="field">
              <label htmlFor="reset-email">{t.signIn.email}</label>
              <input id="reset-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </div>
            <button type="submit" className="button wide" disabled={busy}>
              {ask.isPending ? t.recovery.sending : t.recovery.send}
            </button>
          </>
        ) : (
          <>
            <div className="field">
              <label htmlFor="reset-code">{t.recovery.code}</label>
              <input
                id="reset-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                required
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="reset-password">{t.signIn.newPassword}</label>
              <input
                id="reset-password"
                type="password"
                autoComplete="new-password"
                required
                aria-describedby="reset-password-rules"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              <p id="reset-password-rules" className="muted small">
                {t.recovery.rules}
              </p>
            </div>
            <button type="submit" className="button wide" disabled={busy}>
              {confirm.isPending ? t.recovery.changing : t.recovery.change}
            </button>
          </>
        )}
        <p className="signin-links">
          <button type="button" className="link-button" onClick={onBack}>
            {t.recovery.back}
          </button>
          {sent && (
            <button type="button" className="link-button" disabled={busy} onClick={() => (setCode(''), ask.mutate())}>
              {t.recovery.sendAgain}
            </button>
          )}
        </p>
      </form>
    </main>
  )
}
