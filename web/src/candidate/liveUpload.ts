/**
 * A take sent while it is recorded. The recorder's slices are gathered into parts of the server's part size
 * (5 MiB, S3's smallest but the last: https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html) and
 * each whole part is PUT as soon as it is there, in order, one at a time. When the recording stops, the rest
 * follows at once (its final size declared with the last part's URL); sending the take then only completes
 * the upload, or sends what is left of it. A discarded take's upload is aborted.
 *
 * What a kept take costs: the ticket (every full part's URL at once, as for an upload after recording), one
 * request for the last part's URL at its length, the PUTs, the completion; no byte is sent twice.
 */
import { type Api, ApiError, call } from '../shared/api'
import { baseType } from '../shared/media'
import type { UploadState } from '../shared/types'
import type { TakeRef } from './upload'

const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10000, 20000]

/** What the page needs of an upload in flight: try again after a failure, stop. */
export interface Sending {
  retry(): Promise<void>
  close(): void
}

class PutFailed extends Error {
  constructor(readonly status: number) {
    super(status ? `the storage refused a part (${status})` : 'the storage could not be reached')
  }
}

export class LiveUpload implements Sending {
  readonly takeId: string
  private readonly path: { questionId: string; takeId: string }
  private readonly chunks: Blob[] = []
  private recorded = 0
  private partSize = 0
  private begun = false
  private sized = false
  private readonly urls = new Map<number, string>()
  private readonly etags = new Map<number, string>()
  private final: Blob | null = null
  private running: Promise<void> | null = null
  private closed = false
  private finishing = false
  private inFlight: XMLHttpRequest | null = null
  private onProgress: (fraction: number) => void = () => undefined
  private partProgress = 0

  constructor(
    private readonly api: Api,
    take: TakeRef,
    private readonly contentType: string,
  ) {
    this.takeId = take.takeId
    this.path = { questionId: take.questionId, takeId: take.takeId }
  }

  /** An unfinished upload found on return (a closed tab, a reload): only the parts S3 lacks go. */
  static resumed(api: Api, take: TakeRef, blob: Blob, state: UploadState): LiveUpload {
    const upload = new LiveUpload(api, take, baseType(blob.type))
    upload.begun = true
    upload.partSize = state.partSize
    upload.final = blob
    upload.recorded = blob.size
    for (const part of state.parts) if (part.size === upload.lengthOf(part.partNumber, blob.size)) upload.etags.set(part.partNumber, part.etag)
    return upload
  }

  /** A slice from the recorder: a part goes as soon as more than a whole one is recorded. */
  append(chunk: Blob) {
    if (this.final || this.closed || chunk.size === 0) return
    this.chunks.push(chunk)
    this.recorded += chunk.size
    this.kick()
  }

  /** The recording stopped: the rest goes now, while the candidate watches it back. */
  seal(blob: Blob) {
    if (this.closed) return
    this.final = blob
    this.recorded = blob.size
    this.kick()
  }

  /** The candidate sends the take: once every part is stored, the upload is completed. */
  async finish(blob: Blob, onProgress: (fraction: number) => void): Promise<void> {
    this.onProgress = onProgress
    if (!this.final) this.seal(blob)
    this.finishing = true
    while (this.running) await this.running
    this.report()
    await this.send(true)
    const parts = [...this.etags.entries()].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }))
    await call(this.api.POST('/api/c/questions/{questionId}/takes/{takeId}/complete', { params: { path: this.path }, body: { parts } }))
    onProgress(1)
  }

  retry(): Promise<void> {
    if (!this.final) return Promise.reject(new Error('nothing recorded'))
    return this.finish(this.final, this.onProgress)
  }

  /** A discarded take: stop sending and abort its upload (S3 drops the parts it holds). */
  async abort(): Promise<void> {
    const begun = this.begun || this.running !== null
    this.close()
    if (!begun) return
    try {
      await call(this.api.DELETE('/api/c/questions/{questionId}/takes/{takeId}/upload', { params: { path: this.path } }))
    } catch {
      // The next take's upload aborts this one on the server; the uploads bucket's lifecycle rule stops any
      // upload left unfinished a day after it began:
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
    }
  }

  close() {
    this.closed = true
    this.inFlight?.abort()
  }

  /** Send what can go now, in the background; a failure waits for the next slice (the parts queue meanwhile). */
  private kick() {
    if (this.running || this.finishing) return
    this.running = this.send(false)
      .catch(() => undefined)
      .finally(() => {
        this.running = null
      })
  }

  /** Sends the parts that can go: whole ones while recording, all of them once sealed. */
  private async send(finishing: boolean): Promise<void> {
    if (!this.begun) await this.attempt(() => this.begin(), finishing)
    if (this.final && !this.sized) await this.attempt(() => this.declare(), finishing)
    for (;;) {
      if (this.closed) throw new Error('upload stopped')
      const n = this.nextMissing()
      if (n === null) return
      await this.attempt(() => this.put(n), finishing)
      this.report()
    }
  }

  /** The lowest part not stored that can go now, or null. */
  private nextMissing(): number | null {
    const size = this.recorded
    const count = this.final ? Math.max(1, Math.ceil(size / this.partSize)) : Math.ceil(size / this.partSize) - 1
    // While recording, a part goes once more than it is recorded: the last part always waits for the final size.
    for (let n = 1; n <= count; n++) if (!this.etags.has(n)) return n
    return null
  }

  private async begin() {
    const ticket = await call(
      this.api.POST('/api/c/questions/{questionId}/takes/{takeId}/upload', {
        params: { path: this.path },
        body: { contentType: this.contentType, live: true },
      }),
    )
    this.partSize = ticket.partSize
    this.urls.clear()
    this.etags.clear()
    this.sized = false
    for (const part of ticket.parts) this.urls.set(part.partNumber, part.url)
    this.begun = true
  }

  /** The final size, with one request: the last part's URL at its length, and any other part's that has none. */
  private async declare() {
    const size = this.final!.size
    const count = Math.max(1, Math.ceil(size / this.partSize))
    const numbers = [count]
    for (let n = 1; n < count && numbers.length < 1000; n++) if (!this.etags.has(n) && !this.urls.has(n)) numbers.push(n)
    const { parts } = await call(
      this.api.POST('/api/c/questions/{questionId}/takes/{takeId}/upload/parts', { params: { path: this.path }, body: { partNumbers: numbers, size } }),
    )
    for (const part of parts) this.urls.set(part.partNumber, part.url)
    this.sized = true
  }

  private lengthOf(n: number, size: number) {
    return Math.max(0, Math.min(this.partSize, size - (n - 1) * this.partSize))
  }

  private async urlOf(n: number): Promise<string> {
    const known = this.urls.get(n)
    if (known) return known
    const { parts } = await call(
      this.api.POST('/api/c/questions/{questionId}/takes/{takeId}/upload/parts', { params: { path: this.path }, body: { partNumbers: [n] } }),
    )
    const url = parts.find((p) => p.partNumber === n)?.url
    if (!url) throw new Error(`no URL for part ${n}`)
    return url
  }

  private async put(n: number) {
    const url = await this.urlOf(n)
    const source = this.final ?? new Blob(this.chunks)
    const body = source.slice((n - 1) * this.partSize, n * this.partSize)
    try {
      this.etags.set(n, await this.xhrPut(url, body))
    } catch (e) {
      this.urls.delete(n) // a URL may have expired: the next try asks for a fresh one
      throw e
    }
  }

  private xhrPut(url: string, body: Blob): Promise<string> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest()
      this.inFlight = xhr
      xhr.open('PUT', url)
      xhr.upload.onprogress = (e) => {
        this.partProgress = e.loaded
        this.report()
      }
      xhr.onload = () => {
        this.inFlight = null
        this.partProgress = 0
        const etag = xhr.getResponseHeader('ETag')
        if (xhr.status >= 200 && xhr.status < 300 && etag) resolve(etag)
        else reject(new PutFailed(xhr.status))
      }
      xhr.onerror = xhr.onabort = () => {
        this.inFlight = null
        this.partProgress = 0
        reject(new PutFailed(0))
      }
      xhr.send(body)
    })
  }

  /** One step with retries: while recording a failure ends the round (the next slice tries again). */
  private async attempt(step: () => Promise<void>, finishing: boolean) {
    const delays = finishing ? RETRY_DELAYS_MS : RETRY_DELAYS_MS.slice(0, 3)
    let last: unknown
    for (const delay of delays) {
      if (this.closed) throw new Error('upload stopped')
      if (delay) await new Promise((resolve) => window.setTimeout(resolve, delay))
      try {
        return await step()
      } catch (e) {
        last = e
        // The server's refusals (a take already sent, a recording too large) are not the network's.
        if (e instanceof ApiError && e.status >= 400 && e.status < 500) throw e
      }
    }
    throw last
  }

  private report() {
    if (!this.final || !this.partSize) return
    let stored = 0
    for (const n of this.etags.keys()) stored += this.lengthOf(n, this.final.size)
    this.onProgress(Math.min(0.99, (stored + this.partProgress) / Math.max(1, this.final.size)))
  }
}
