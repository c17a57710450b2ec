/** The invitation token travels in the URL fragment (`#t=...`), which browsers never send to a server. */
export function readToken(hash = window.location.hash): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const token = params.get('t')?.trim()
  return token ? token : null
}
