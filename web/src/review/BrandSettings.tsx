/** Admins set the organization's brand: an accent colour (refused, here and by the API, when white button text on
 * it falls below WCAG AA's 4.5:1) and a logo (PNG, JPEG or WebP, at most 512 KB and 1024x1024 pixels, checked by
 * the API from the file's own bytes). Candidates' pages, the review site's header and emails show them. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useState } from 'react'
import { ApiError, call } from '../shared/api'
import { BrandLogo } from '../shared/brand'
import type { Brand } from '../shared/types'
import { ErrorMessage } from '../shared/ui'
import { useSession } from './context'
import { t } from './strings'

export const DEFAULT_ACCENT = '#0f766e'
const HEX = /^#[0-9a-f]{6}$/i
const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const
const MAX_LOGO_BYTES = 512 * 1024
const AA = 4.5

function channel(v: number) {
  const c = v / 255
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/** WCAG's contrast ratio of a #rrggbb colour with white (the API computes the same). */
export function contrastWithWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16)))
  const l = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
  return 1.05 / (l + 0.05)
}

export function BrandSettings({ accent: saved, brand }: { accent: string | null | undefined; brand: Brand }) {
  const { api, me, setMe } = useSession()
  const queryClient = useQueryClient()
  const ids = useId()
  const [accent, setAccent] = useState(saved ?? DEFAULT_ACCENT)
  useEffect(() => setAccent(saved ?? DEFAULT_ACCENT), [saved])
  const [picked, setPicked] = useState<string>()

  const valid = HEX.test(accent)
  const ratio = valid ? contrastWithWhite(accent) : 0
  const readable = ratio >= AA

  const shown = (next: Brand) => {
    setMe({ ...me, brand: next })
    void queryClient.invalidateQueries({ queryKey: ['organization'] })
  }
  const saveAccent = useMutation({
    mutationFn: (value: string) => call(api.PATCH('/api/organization', { body: { accent: value } })),
    onSuccess: (org) => org.brand && shown(org.brand),
  })
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const type = LOGO_TYPES.find((x) => x === file.type)
      if (!type) throw new ApiError(t.brand.wrongType, 'logo_not_image', 0)
      if (file.size > MAX_LOGO_BYTES) throw new ApiError(t.brand.tooLarge, 'logo_too_large', 0)
      const ticket = await call(api.POST('/api/organization/logo/upload', { body: { contentType: type, size: file.size } }))
      const put = await fetch(ticket.url, { method: 'PUT', headers: { 'Content-Type': ticket.contentType }, body: file })
      if (!put.ok) throw new ApiError(t.brand.uploadFailed, 'upload_failed', put.status)
      return call(api.PUT('/api/organization/logo', { body: { uploadId: ticket.uploadId } }))
    },
    onSuccess: (next) => (setPicked(undefined), shown(next)),
  })
  const remove = useMutation({ mutationFn: () => call(api.DELETE('/api/organization/logo')), onSuccess: shown })

  return (
    <section className="card stack" aria-labelledby={`${ids}-title`} data-testid="brand-settings">
      <h2 id={`${ids}-title`}>{t.brand.title}</h2>
      <p className="help">{t.brand.intro}</p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault()
          if (valid && readable) saveAccent.mutate(accent.toLowerCase() === DEFAULT_ACCENT ? '' : accent)
        }}
      >
        <div className="field">
          <label htmlFor={`${ids}-accent`}>{t.brand.accent}</label>
          <div className="row wrap brand-accent">
            <input
              type="color"
              aria-label={t.brand.picker}
              value={valid ? accent.toLowerCase() : DEFAULT_ACCENT}
              onChange={(e) => setAccent(e.target.value)}
            />
            <input
              id={`${ids}-accent`}
              className="short"
              value={accent}
              maxLength={7}
              spellCheck={false}
              aria-describedby={`${ids}-contrast`}
              aria-invalid={!valid || !readable}
              onChange={(e) => setAccent(e.target.value.trim())}
              data-testid="accent-input"
            />
            <span className="brand-sample" style={valid ? { background: accent, borderColor: accent } : undefined} aria-hidden="true">
              {t.brand.sample}
            </span>
          </div>
          <p className={readable ? 'help' : 'help field-error'} id={`${ids}-contrast`} data-testid="accent-contrast">
            {!valid ? t.brand.notHex : readable ? t.brand.contrastOk(ratio.toFixed(2)) : t.brand.contrastLow(ratio.toFixed(2))}
          </p>
        </div>
        <ErrorMessage error={saveAccent.error} />
        <div className="row wrap brand-actions">
          <button type="submit" className="button" disabled={!valid || !readable}>
            {t.brand.saveAccent}
          </button>
          <button type="button" className="button secondary" onClick={() => (setAccent(DEFAULT_ACCENT), saveAccent.mutate(''))}>
            {t.brand.resetAccent}
          </button>
          <span className="copied" role="status">
            {saveAccent.isSuccess ? t.brand.accentSaved : ''}
          </span>
        </div>
      </form>
      <div className="stack" data-testid="logo-settings">
        <h3>{t.brand.logo}</h3>
        <div className="brand-logo-preview">{brand.logoUrl ? <BrandLogo brand={brand} className="brand-logo-large" /> : <p className="muted">{t.brand.noLogo}</p>}</div>
        <div className="field">
          <label htmlFor={`${ids}-logo`}>{t.brand.chooseLogo}</label>
          <input
            id={`${ids}-logo`}
            type="file"
            accept={LOGO_TYPES.join(',')}
            aria-describedby={`${ids}-logo-help`}
            onChange={(e) => {
              const file = e.target.files?.[0]
              setPicked(file?.name)
              if (file) upload.mutate(file)
              e.target.value = ''
            }}
            data-testid="logo-input"
          />
          <p className="help" id={`${ids}-logo-help`}>
            {t.brand.logoHelp}
          </p>
        </div>
        <ErrorMessage error={upload.error ?? remove.error} />
        <div className="row wrap brand-actions">
          {brand.logoUrl && (
            <button type="button" className="button secondary" onClick={() => remove.mutate()} disabled={remove.isPending}>
              {t.brand.removeLogo}
            </button>
          )}
          <span className="copied" role="status" data-testid="logo-status">
            {upload.isPending ? t.brand.uploading(picked ?? '') : upload.isSuccess ? t.brand.logoSaved : remove.isSuccess && !brand.logoUrl ? t.brand.logoRemoved : ''}
          </span>
        </div>
      </div>
    </section>
  )
}
