/** A self-apply link: `/c/#/apply/<slug>`, the interview's public link for a job ad. */
export function readApplySlug(hash = window.location.hash): string | null {
  const match = /^#\/apply\/([A-Za-z0-9_-]{16,64})\/?$/.exec(hash)
  return match ? match[1]! : null
}
