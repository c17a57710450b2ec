/**
 * Low-bandwidth mode: the device check times a small upload through the path answers take (a presigned PUT
 * to the uploads bucket), recommends a recording form for that uplink, and remembers the candidate's choice
 * for this invitation (this tab's session). Each take tells the server its form; reviewers see it.
 */
import { type Api, call } from '../shared/api'
import type { components } from '../shared/api-schema'

export type RecordingForm = components['schemas']['AnswerForm']

/** What the camera and the recorder are asked for in each form (MediaRecorder's bitrates, getUserMedia's size). */
export interface RecordingQuality {
  form: RecordingForm
  video?: { width: number; height: number; bitsPerSecond: number }
  audioBitsPerSecond: number
}

export const QUALITIES: Record<RecordingForm, RecordingQuality> = {
  standard: { form: 'standard', video: { width: 1280, height: 720, bitsPerSecond: 1_500_000 }, audioBitsPerSecond: 96_000 },
  // 360p at a low bitrate: about a third of standard's size (the server's bound for it: service/limits.py).
  reduced: { form: 'reduced', video: { width: 640, height: 360, bitsPerSecond: 400_000 }, audioBitsPerSecond: 48_000 },
  audio: { form: 'audio', audioBitsPerSecond: 48_000 },
}

/** Uplink thresholds (kbit/s): standard video from 2 Mbit/s, reduced from 0.5, sound only below (where allowed). */
export const STANDARD_KBPS = 2000
export const REDUCED_KBPS = 500

export function recommend(kbps: number | null, allowAudio: boolean): RecordingForm {
  if (kbps === null || kbps >= STANDARD_KBPS) return 'standard'
  if (kbps >= REDUCED_KBPS || !allowAudio) return 'reduced'
  return 'audio'
}

/** The forms the candidate may choose from in this interview. */
export function offered(allowAudio: boolean): RecordingForm[] {
  return allowAudio ? ['standard', 'reduced', 'audio'] : ['standard', 'reduced']
}

// The probe stops after this long on a very slow link: what was sent by then gives the rate.
const PROBE_MAX_MS = 8000

/** The uplink in kbit/s, from a timed PUT of the server's probe size; null when it could not be measured. */
export async function measureUplink(api: Api): Promise<number | null> {
  const probe = await call(api.POST('/api/c/uplink-probe'))
  const body = new Uint8Array(probe.bytes)
  // Random bytes, so no layer on the way can compress them (getRandomValues fills 64 KiB at most a call).
  for (let at = 0; at < body.length; at += 65536) crypto.getRandomValues(body.subarray(at, Math.min(body.length, at + 65536)))
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest()
    let began = 0
    let sent = 0
    const rate = () => {
      const seconds = (performance.now() - began) / 1000
      return sent > 0 && seconds > 0 ? Math.round((sent * 8) / 1000 / seconds) : null
    }
    const timer = window.setTimeout(() => {
      const measured = rate()
      xhr.abort()
      resolve(measured)
    }, PROBE_MAX_MS)
    xhr.upload.onloadstart = () => (began = performance.now())
    xhr.upload.onprogress = (e) => (sent = e.loaded)
    xhr.onload = () => {
      window.clearTimeout(timer)
      sent = body.length
      resolve(xhr.status >= 200 && xhr.status < 300 ? rate() : null)
    }
    xhr.onerror = () => {
      window.clearTimeout(timer)
      resolve(null)
    }
    xhr.open('PUT', probe.url)
    began = performance.now()
    xhr.send(body)
  })
}

export interface Choice {
  form: RecordingForm
  /** The uplink measured (kbit/s), told to the server with each take. */
  kbps: number | null
  /** The candidate picked it (a measurement again does not override it); else it is the recommendation. */
  chosen?: boolean
}

const key = (scope: string) => `oneway.recording-form.${scope}`

/** The candidate's choice for this invitation, kept for the tab's session (a reload keeps it). */
export function loadChoice(scope: string): Choice | null {
  try {
    const raw = sessionStorage.getItem(key(scope))
    const parsed = raw ? (JSON.parse(raw) as Choice) : null
    return parsed && parsed.form in QUALITIES ? parsed : null
  } catch {
    return null
  }
}

export function saveChoice(scope: string, choice: Choice): void {
  try {
    sessionStorage.setItem(key(scope), JSON.stringify(choice))
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

/** The stream a take records from: the microphone alone for sound only, else the camera at the form's size. */
export async function streamFor(stream: MediaStream, quality: RecordingQuality): Promise<MediaStream> {
  if (!quality.video) return new MediaStream(stream.getAudioTracks())
  const { width, height } = quality.video
  await Promise.all(stream.getVideoTracks().map((track) => track.applyConstraints({ width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: 30, max: 30 } }).catch(() => undefined)))
  return stream
}
