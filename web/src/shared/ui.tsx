/** Small building blocks both apps use. They carry no wording of their own: callers pass it in. */
import { type ReactNode, useEffect, useRef, useState } from 'react'
import { errorMessage } from './api'

export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null
  return (
    <div className="notice notice-error" role="alert">
      {title && <strong>{title} </strong>}
      {errorMessage(error)}
    </div>
  )
}

export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  )
}

/** Call `tick` every `ms` while the page is visible. */
export function useInterval(tick: () => void, ms: number | null) {
  const saved = useRef(tick)
  saved.current = tick
  useEffect(() => {
    if (ms === null) return
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible') saved.current()
    }, ms)
    return () => window.clearInterval(id)
  }, [ms])
}

export function CopyButton({ text, label, copiedLabel }: { text: string; label: string; copiedLabel: string }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
    } catch {
      // Clipboard API refused (insecure origin, permissions): fall back to a selection copy.
      const area = document.createElement('textarea')
      area.value = text
      document.body.append(area)
      area.select()
      document.execCommand('copy')
      area.remove()
    }
    setCopied(true)
    window.setTimeout(() => setCopied(false), 2500)
  }
  return (
    <>
      <button type="button" className="button secondary" onClick={copy}>
        {label}
      </button>
      <span className="copied" role="status">
        {copied ? copiedLabel : ''}
      </span>
    </>
  )
}

/** Move focus to a page's heading when it appears, so screen readers and keyboards start there. */
export function PageHeading({ children, className }: { children: ReactNode; className?: string }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    ref.current?.focus({ preventScroll: false })
  }, [])
  return (
    <h1 ref={ref} tabIndex={-1} className={className}>
      {children}
    </h1>
  )
}

/** Decorative icons as inline SVG (emoji fonts are not everywhere). */
export function Icon({ name, size = 40 }: { name: 'check' | 'clock' | 'link' | 'mic'; size?: number }) {
  const paths = {
    check: <path d="M7 12.5l3.5 3.5L17 9" />,
    clock: (
      <>
        <path d="M12 7v5l3 2" />
      </>
    ),
    link: <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />,
    mic: (
      <>
        <rect x="9" y="3" width="6" height="11" rx="3" />
        <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7" />
      </>
    ),
  }
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
      {name !== 'link' && name !== 'mic' && <circle cx="12" cy="12" r="10" />}
      {paths[name]}
    </svg>
  )
}

/** Watch a recorded clip (a Blob not yet uploaded), with its real length and a working seek bar. */
export function Playback({ blob, label, testId = 'playback' }: { blob: Blob; label: string; testId?: string }) {
  const [url, setUrl] = useState<string>()
  const video = useRef<HTMLVideoElement>(null)
  const known = useKnownDuration(video, url)
  useEffect(() => {
    const u = URL.createObjectURL(blob)
    setUrl(u)
    return () => URL.revokeObjectURL(u)
  }, [blob])
  return (
    <div className="stage">
      <video
        ref={video}
        className={`playback${known ? '' : ' playback-measuring'}`}
        src={url}
        controls
        playsInline
        preload="auto"
        aria-label={label}
        aria-busy={!known}
        data-testid={testId}
        data-duration-known={known}
      />
    </div>
  )
}

/** Chromium's MediaRecorder writes a WebM with no duration: its player shows no length and cannot seek.
 * Asking for a time far past the end makes the browser read the clip through and learn its length, which it
 * then reports (a `durationchange`); back to the start, and the clip plays and seeks like any other. */
function useKnownDuration(ref: { current: HTMLVideoElement | null }, url: string | undefined): boolean {
  const [known, setKnown] = useState(false)
  useEffect(() => {
    const v = ref.current
    setKnown(false)
    if (!v || !url) return
    let measuring = false
    const finite = () => Number.isFinite(v.duration) && v.duration > 0
    const settle = () => {
      if (!finite()) return
      if (measuring) {
        measuring = false
        v.currentTime = 0
      }
      window.clearTimeout(giveUp)
      setKnown(true)
    }
    const onMetadata = () => {
      if (finite()) return settle()
      measuring = true
      v.currentTime = Number.MAX_SAFE_INTEGER
    }
    // A browser that never learns the length still shows the clip, as it is.
    const giveUp = window.setTimeout(() => {
      if (measuring) v.currentTime = 0
      measuring = false
      setKnown(true)
    }, 4000)
    v.addEventListener('loadedmetadata', onMetadata)
    v.addEventListener('durationchange', settle)
    v.addEventListener('timeupdate', settle)
    if (v.readyState >= HTMLMediaElement.HAVE_METADATA) onMetadata()
    return () => {
      window.clearTimeout(giveUp)
      v.removeEventListener('loadedmetadata', onMetadata)
      v.removeEventListener('durationchange', settle)
      v.removeEventListener('timeupdate', settle)
    }
  }, [ref, url])
  return known
}

/** Oneway's mark: a play button that runs one way, out of its frame. Decorative: the name stands beside it. */
export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg className="brand-mark" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="30" height="30" rx="9" fill="#0f766e" />
      <path d="M11 9.5v13l10-6.5z" fill="#fff" />
      <path d="M21 16h7" stroke="#99f6e4" strokeWidth="3" strokeLinecap="round" />
    </svg>
  )
}
