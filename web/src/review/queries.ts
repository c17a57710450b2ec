/** The review app's server state (TanStack Query), set to behave as its pages expect. */
import { QueryClient, useMutation } from '@tanstack/react-query'

export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // An error shows at once, in words (the API client retries throttled calls itself). A page shows what the
      // API says when it opens, never a copy kept from an earlier visit (blind review or assignments may have
      // changed since), and calls again only when it polls or is told to.
      queries: { retry: false, gcTime: 0, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  })
}

/** One of a panel's actions at a time: `act.mutate(() => call(...))`, then `after` (a reload); `act.error` says what failed.
 * The action runs after `mutate` returns: read what it needs of an event before. */
export function useAct(after?: () => Promise<unknown>) {
  return useMutation({ mutationFn: (run: () => Promise<unknown>) => run(), onSuccess: () => after?.() })
}
