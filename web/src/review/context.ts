import { createContext, useContext } from 'react'
import type { Api } from '../shared/api'
import type { Me } from '../shared/types'

export interface Session {
  api: Api
  me: Me
}

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside a signed-in page')
  return session
}
