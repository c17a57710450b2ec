/** The organization's look on a page: its accent as the page's primary colour (hover and soft tints derived from
 * it) and its logo. The API refuses an accent that white button text cannot be read on (4.5:1), and the hover is
 * darker still, so every derived colour keeps the product readable. */
import { useEffect } from 'react'
import type { Brand } from './types'

const PROPERTIES = ['--primary', '--primary-hover', '--primary-soft'] as const

/** `share` of `hex` mixed with `other` (0-255 grey level), as #rrggbb: computed here rather than with CSS
 * color-mix(), which a browser without it would turn into no colour at all. */
export function mix(hex: string, other: number, share: number): string {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
  return `#${channels.map((c) => Math.round(c * share + other * (1 - share)).toString(16).padStart(2, '0')).join('')}`
}

/** Sets the page's primary colours from the brand, and puts Oneway's back when the page leaves. */
export function useBrand(brand: Brand | null | undefined) {
  const accent = brand?.accent
  useEffect(() => {
    const style = document.documentElement.style
    if (!accent || !/^#[0-9a-f]{6}$/i.test(accent)) return
    style.setProperty('--primary', accent)
    style.setProperty('--primary-hover', mix(accent, 0, 0.8)) // darker: more contrast with white still
    style.setProperty('--primary-soft', mix(accent, 255, 0.08))
    return () => PROPERTIES.forEach((p) => style.removeProperty(p))
  }, [accent])
}

/** The organization's logo (nothing when it has none). Shown beside the organization's name, which says the same
 * to a screen reader: the picture itself is decorative. */
export function BrandLogo({ brand, className = 'org-logo' }: { brand: Brand | null | undefined; className?: string }) {
  if (!brand?.logoUrl) return null
  return <img className={className} src={brand.logoUrl} alt="" data-testid="org-logo" />
}
