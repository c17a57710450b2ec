import { createContext, useContext } from 'react'
import type { Api } from '../shared/api'
import type { Auth } from '../shared/auth'
import type { Me } from '../shared/types'

export interface Session {
  api: Api
  auth: Auth
  me: Me
  /** Replace the member's view after they changed something of their own (two-step verification). */
  setMe: (me: Me) => void
}

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside a signed-in page')
  return session
}
