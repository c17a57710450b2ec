/** Camera, microphone and recording: the browser APIs behind the candidate's steps and the builder's question videos. */
import { useEffect, useState } from 'react'

export interface Support {
  secure: boolean
  camera: boolean
  recorder: boolean
}

export function checkSupport(): Support {
  return {
    secure: window.isSecureContext,
    camera: !!navigator.mediaDevices?.getUserMedia,
    recorder: typeof window.MediaRecorder !== 'undefined',
  }
}

export const supported = (s: Support) => s.secure && s.camera && s.recorder

// VP9/Opus first (small files, what the pipeline expects from Chromium), then what Safari and Firefox offer.
const PREFERRED_TYPES = [
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm',
  'video/mp4;codecs=avc1.42E01E,mp4a.40.2',
  'video/mp4',
]

export function pickMimeType(): string {
  if (typeof MediaRecorder === 'undefined' || typeof MediaRecorder.isTypeSupported !== 'function') return ''
  return PREFERRED_TYPES.find((type) => MediaRecorder.isTypeSupported(type)) ?? ''
}

// A microphone alone: Opus in WebM (Chromium, Firefox), else AAC in MP4 (Safari); the server takes these two.
const AUDIO_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4']

export function pickAudioMimeType(): string {
  if (typeof MediaRecorder === 'undefined' || typeof MediaRecorder.isTypeSupported !== 'function') return ''
  return AUDIO_TYPES.find((type) => MediaRecorder.isTypeSupported(type)) ?? ''
}

/** The bare media type the server expects ("video/webm"), without codec parameters. */
export function baseType(type: string): string {
  return (type.split(';')[0] ?? '').trim().toLowerCase() || 'video/webm'
}

export type CameraProblem = 'denied' | 'notFound' | 'busy' | 'failed'

export class CameraError extends Error {
  constructor(readonly problem: CameraProblem, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause))
  }
}

export async function openCamera(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30, max: 30 }, facingMode: 'user' },
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    })
  } catch (e) {
    const name = e instanceof DOMException ? e.name : ''
    const problem: CameraProblem =
      name === 'NotAllowedError' || name === 'SecurityError'
        ? 'denied'
        : name === 'NotFoundError' || name === 'OverconstrainedError'
          ? 'notFound'
          : name === 'NotReadableError' || name === 'AbortError'
            ? 'busy'
            : 'failed'
    throw new CameraError(problem, e)
  }
}

export function stopStream(stream: MediaStream | null | undefined) {
  stream?.getTracks().forEach((track) => track.stop())
}

/** Microphone loudness from 0 to 1, sampled every animation frame with an AnalyserNode. */
export function useMicLevel(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0)
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0) return
    const AudioCtx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext
    if (!AudioCtx) return
    const context = new AudioCtx()
    const source = context.createMediaStreamSource(stream)
    const analyser = context.createAnalyser()
    analyser.fftSize = 1024
    source.connect(analyser)
    const samples = new Float32Array(analyser.fftSize)
    let frame = 0
    let last = 0
    const tick = (now: number) => {
      frame = requestAnimationFrame(tick)
      if (now - last < 66) return // ~15 updates a second is plenty for a meter
      last = now
      analyser.getFloatTimeDomainData(samples)
      let sum = 0
      for (const s of samples) sum += s * s
      const rms = Math.sqrt(sum / samples.length)
      // Speech RMS sits around 0.02-0.2; stretch it so a normal voice fills most of the bar.
      setLevel(Math.min(1, Math.sqrt(rms) * 1.6))
    }
    void context.resume()
    frame = requestAnimationFrame(tick)
    return () => {
      cancelAnimationFrame(frame)
      source.disconnect()
      void context.close()
    }
  }, [stream])
  return level
}

/** One recording from a live stream; `stop()` resolves with the whole clip. */
/** A standard answer's recorder bitrates (the cost model reads them here: infra/oneway_infra/cost/settings.py). */
export const STANDARD_VIDEO_BPS = 1_500_000
export const STANDARD_AUDIO_BPS = 96_000

export class Recording {
  private readonly recorder: MediaRecorder
  private readonly chunks: Blob[] = []
  private readonly finished: Promise<Blob>

  /** `bits`: the recorder's bitrates (a lighter recording on a slow connection); standard video's by default.
   * `onData`: each slice as it comes (about one a second), for an upload that goes while recording. */
  constructor(stream: MediaStream, mimeType: string, bits: { video?: number; audio?: number } = {}, onData?: (chunk: Blob, mimeType: string) => void) {
    const options: MediaRecorderOptions = { videoBitsPerSecond: bits.video ?? STANDARD_VIDEO_BPS, audioBitsPerSecond: bits.audio ?? STANDARD_AUDIO_BPS }
    if (mimeType) options.mimeType = mimeType
    this.recorder = new MediaRecorder(stream, options)
    this.finished = new Promise((resolve, reject) => {
      this.recorder.ondataavailable = (e) => {
        if (e.data.size > 0) {
          this.chunks.push(e.data)
          onData?.(e.data, this.recorder.mimeType || mimeType || 'video/webm')
        }
      }
      this.recorder.onstop = () => resolve(new Blob(this.chunks, { type: this.recorder.mimeType || mimeType || 'video/webm' }))
      this.recorder.onerror = (e) => reject((e as unknown as { error?: Error }).error ?? new Error('recording failed'))
    })
    // A timeslice keeps memory steady and leaves data even if stop() comes late.
    this.recorder.start(1000)
  }

  stop(): Promise<Blob> {
    if (this.recorder.state !== 'inactive') this.recorder.stop()
    return this.finished
  }
}
