/**
 * Recruiter sign-in with the Cognito user pool. The library keeps the tokens in
 * localStorage (the session survives a reload) and refreshes the access token
 * with the refresh token when it expires.
 */
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type IAuthenticationCallback,
} from 'amazon-cognito-identity-js'
import type { AppConfig } from './config'

/** What sign-in asks of the person after the password, if anything. `mfaSetup`: the pool requires a second
 * factor that the account does not have yet (set up TOTP, then sign-in completes). `resetRequired`: an admin reset
 * the password; the emailed code and a new password come first (confirmPassword), then sign-in again. */
export type Challenge = { kind: 'newPassword' } | { kind: 'totp' } | { kind: 'sms' } | { kind: 'mfaSetup' } | { kind: 'resetRequired' }

export type SignInResult = { done: true } | { done: false; challenge: Challenge }

export class Auth {
  private readonly pool: CognitoUserPool
  private pending: CognitoUser | null = null

  constructor(private readonly config: AppConfig) {
    this.pool = new CognitoUserPool({
      UserPoolId: config.userPoolId,
      ClientId: config.userPoolClientId,
      endpoint: config.cognitoEndpoint,
    })
  }

  /** The current session, refreshed if its access token has expired; null when signed out. */
  session(): Promise<CognitoUserSession | null> {
    const user = this.pool.getCurrentUser()
    if (!user) return Promise.resolve(null)
    return new Promise((resolve) => {
      user.getSession((error: Error | null, session: CognitoUserSession | null) => {
        resolve(error || !session?.isValid() ? null : session)
      })
    })
  }

  async accessToken(): Promise<string | null> {
    const session = await this.session()
    return session?.getAccessToken().getJwtToken() ?? null
  }

  signIn(email: string, password: string): Promise<SignInResult> {
    const user = new CognitoUser({ Username: email.trim(), Pool: this.pool })
    user.setAuthenticationFlowType(this.config.authFlow)
    this.pending = user
    return new Promise((resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: email.trim(), Password: password }), this.callbacks(resolve, reject))
    })
  }

  /** Answer the challenge that signIn returned. */
  respond(challenge: Challenge, answer: string): Promise<SignInResult> {
    const user = this.pending
    if (!user) return Promise.reject(new Error('Sign in again.'))
    return new Promise((resolve, reject) => {
      const callbacks = this.callbacks(resolve, reject)
      if (challenge.kind === 'newPassword') user.completeNewPasswordChallenge(answer, {}, callbacks)
      else user.sendMFACode(answer.trim(), callbacks, challenge.kind === 'totp' ? 'SOFTWARE_TOKEN_MFA' : 'SMS_MFA')
    })
  }

  /**
   * "Forgot password": the pool emails the account a code (ForgotPassword). An address without an account gets the
   * same answer and no email (the app client prevents user existence errors).
   */
  forgotPassword(email: string): Promise<void> {
    const user = new CognitoUser({ Username: email.trim(), Pool: this.pool })
    return new Promise((resolve, reject) => {
      user.forgotPassword({ onSuccess: () => resolve(), inputVerificationCode: () => resolve(), onFailure: (e: unknown) => reject(asError(e)) })
    })
  }

  /** Choose a new password with the emailed code (ConfirmForgotPassword): after "Forgot password" or an admin's reset. */
  confirmPassword(email: string, code: string, password: string): Promise<void> {
    const user = new CognitoUser({ Username: email.trim(), Pool: this.pool })
    return new Promise((resolve, reject) => {
      user.confirmPassword(code.trim(), password, { onSuccess: () => resolve(), onFailure: (e: unknown) => reject(asError(e)) })
    })
  }

  /**
   * Start TOTP set-up: the secret for the member's authenticator app. Works for the signed-in member, and
   * during sign-in when the pool asks for a second factor the account does not have yet (`mfaSetup`).
   */
  async associateTotp(): Promise<string> {
    const user = this.pending ?? (await this.signedInUser())
    return new Promise((resolve, reject) => {
      user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: (e: unknown) => reject(asError(e)) })
    })
  }

  /** Finish TOTP set-up with a code from the app: verified by the pool, then TOTP becomes the preferred factor. */
  async verifyTotp(code: string): Promise<void> {
    const signingIn = this.pending
    const user = signingIn ?? (await this.signedInUser())
    await new Promise<void>((resolve, reject) => {
      user.verifySoftwareToken(code.trim(), 'Oneway', { onSuccess: () => resolve(), onFailure: (e: unknown) => reject(asError(e)) })
    })
    // During sign-in the verification also answered the challenge: the member is signed in now.
    if (signingIn) this.pending = null
    await new Promise<void>((resolve, reject) => {
      user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (e) => (e ? reject(asError(e)) : resolve()))
    })
  }

  private signedInUser(): Promise<CognitoUser> {
    const user = this.pool.getCurrentUser()
    if (!user) return Promise.reject(new Error('Sign in again.'))
    return new Promise((resolve, reject) => {
      // getSession loads (and refreshes) the tokens into this user object, which its calls then use.
      user.getSession((error: Error | null) => (error ? reject(error) : resolve(user)))
    })
  }

  /**
   * Sign out: Cognito revokes this session's refresh token (RevokeToken), so a copy of it cannot get new tokens.
   * The request leaves with the token in hand and local storage is cleared at once, so a tab closed before the
   * answer keeps no token either.
   */
  async signOut(): Promise<void> {
    const user = this.pool.getCurrentUser()
    this.pending = null
    if (!user) return
    // The session's tokens into the user object (from local storage; refreshed first if the access token expired).
    const live = await new Promise<boolean>((resolve) => user.getSession((error: Error | null) => resolve(!error)))
    const revoked = live ? new Promise<void>((resolve) => (user as unknown as Revocable).revokeTokens(() => resolve())) : Promise.resolve()
    user.signOut()
    await revoked
  }

  private callbacks(resolve: (r: SignInResult) => void, reject: (e: Error) => void): IAuthenticationCallback {
    return {
      onSuccess: () => {
        this.pending = null
        resolve({ done: true })
      },
      onFailure: (error: unknown) => {
        // An admin reset the password: the pool has emailed a code to choose a new one with.
        if ((error as { code?: string })?.code === 'PasswordResetRequiredException') resolve({ done: false, challenge: { kind: 'resetRequired' } })
        else reject(asError(error))
      },
      newPasswordRequired: () => resolve({ done: false, challenge: { kind: 'newPassword' } }),
      totpRequired: () => resolve({ done: false, challenge: { kind: 'totp' } }),
      mfaRequired: () => resolve({ done: false, challenge: { kind: 'sms' } }),
      mfaSetup: () => resolve({ done: false, challenge: { kind: 'mfaSetup' } }),
    }
  }
}

/** In amazon-cognito-identity-js, not in its typings: RevokeToken with the session's refresh token. */
interface Revocable {
  revokeTokens(callback: (error?: Error) => void): void
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String((error as { message?: string })?.message ?? error))
}
