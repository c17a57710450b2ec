import { useEffect, useRef, useState } from 'react'

const BARS = 160

/** Peaks of a decoded sound, `bars` of them, each 0..1 (the loudest of its stretch, scaled to the loudest overall). */
export function peaks(samples: Float32Array, bars = BARS): number[] {
  const out: number[] = []
  const step = Math.max(1, Math.floor(samples.length / bars))
  for (let b = 0; b < bars; b++) {
    let max = 0
    for (let i = b * step; i < Math.min(samples.length, (b + 1) * step); i++) max = Math.max(max, Math.abs(samples[i]!))
    out.push(max)
  }
  const top = Math.max(...out, 1e-6)
  return out.map((v) => v / top)
}

/**
 * A sound-only answer's picture: its waveform, drawn in the browser from the audio rendition with the Web Audio
 * API (the same on AWS and on the local stack: no image job). The part played is shaded; a click seeks.
 */
export function Waveform({ src, now, length, onSeek, label }: { src: string; now: number; length: number; onSeek: (s: number) => void; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const [bars, setBars] = useState<number[] | null>(null)

  useEffect(() => {
    let live = true
    const AudioCtx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext
    if (!AudioCtx) return
    // Decoding needs no output: an offline context never asks to play sound.
    const context = new OfflineAudioContext(1, 1, 44100)
    fetch(src)
      .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(String(r.status)))))
      .then((data) => context.decodeAudioData(data))
      .then((buffer) => live && setBars(peaks(buffer.getChannelData(0))))
      .catch(() => live && setBars([]))
    return () => {
      live = false
    }
    // The presigned address changes on each reload of the page's data; the sound does not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [src.split('?')[0]])

  useEffect(() => {
    const el = canvas.current
    const ctx = el?.getContext('2d')
    if (!el || !ctx || !bars) return
    const ratio = window.devicePixelRatio || 1
    const width = el.clientWidth * ratio
    const height = el.clientHeight * ratio
    el.width = width
    el.height = height
    ctx.clearRect(0, 0, width, height)
    const played = length > 0 ? now / length : 0
    const style = getComputedStyle(el)
    const done = style.getPropertyValue('--primary').trim() || '#2563eb'
    const ahead = style.getPropertyValue('--line-strong').trim() || '#9aa4b2'
    const w = width / Math.max(1, bars.length)
    bars.forEach((v, i) => {
      const h = Math.max(2 * ratio, v * (height - 4 * ratio))
      ctx.fillStyle = (i + 0.5) / bars.length <= played ? done : ahead
      ctx.fillRect(i * w + w * 0.15, (height - h) / 2, w * 0.7, h)
    })
  }, [bars, now, length])

  return (
    <canvas
      ref={canvas}
      className="waveform"
      role="img"
      aria-label={label}
      data-testid="waveform"
      data-bars={bars?.length ?? 0}
      onClick={(e) => {
        const box = e.currentTarget.getBoundingClientRect()
        if (length > 0) onSeek(((e.clientX - box.left) / box.width) * length)
      }}
    />
  )
}
