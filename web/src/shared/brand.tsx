/** The organization's look on a page: its accent as the page's primary colour (hover and soft tints derived from
 * it) and its logo. The API refuses an accent that white button text cannot be read on (4.5:1), and the hover is
 * darker still, so every derived colour keeps the product readable. */
import { useEffect } from 'react'
import type { Brand } from './types'

const PROPERTIES = ['--primary', '--primary-hover', '--primary-soft'] as const

/** Sets the page's primary colours from the brand, and puts Oneway's back when the page leaves. */
export function useBrand(brand: Brand | null | undefined) {
  const accent = brand?.accent
  useEffect(() => {
    const style = document.documentElement.style
    if (!accent || !/^#[0-9a-f]{6}$/i.test(accent)) return
    style.setProperty('--primary', accent)
    style.setProperty('--primary-hover', `color-mix(in srgb, ${accent} 80%, black)`)
    style.setProperty('--primary-soft', `color-mix(in srgb, ${accent} 8%, white)`)
    return () => PROPERTIES.forEach((p) => style.removeProperty(p))
  }, [accent])
}

/** The organization's logo (nothing when it has none). Shown beside the organization's name, which says the same
 * to a screen reader: the picture itself is decorative. */
export function BrandLogo({ brand, className = 'org-logo' }: { brand: Brand | null | undefined; className?: string }) {
  if (!brand?.logoUrl) return null
  return <img className={className} src={brand.logoUrl} alt="" data-testid="org-logo" />
}
