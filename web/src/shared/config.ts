/** Runtime settings: the same static build runs against any stage; `/config.json` says where. */

export type AuthFlow = 'USER_PASSWORD_AUTH' | 'USER_SRP_AUTH'

export interface AppConfig {
  apiUrl: string
  region: string
  userPoolId: string
  userPoolClientId: string
  cognitoEndpoint?: string
  authFlow: AuthFlow
  stage: string
}

let loading: Promise<AppConfig> | undefined

export function loadConfig(): Promise<AppConfig> {
  loading ??= fetchConfig()
  return loading
}

async function fetchConfig(): Promise<AppConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' })
  if (!response.ok) throw new Error(`config.json: ${response.status} ${response.statusText}`)
  const raw = (await response.json()) as Partial<AppConfig>
  return {
    // The site and the API share one origin unless the config says otherwise.
    apiUrl: (raw.apiUrl || window.location.origin).replace(/\/+$/, ''),
    region: raw.region ?? '',
    userPoolId: raw.userPoolId ?? '',
    userPoolClientId: raw.userPoolClientId ?? '',
    cognitoEndpoint: raw.cognitoEndpoint || undefined,
    authFlow: raw.authFlow === 'USER_PASSWORD_AUTH' ? 'USER_PASSWORD_AUTH' : 'USER_SRP_AUTH',
    stage: raw.stage ?? '',
  }
}
