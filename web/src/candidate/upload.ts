/**
 * Sends one recorded take straight to S3 by presigned multipart upload.
 *
 * Uppy's S3 plugin does the part bookkeeping, parallel PUTs, progress and
 * retries; the callbacks below map it onto Oneway's candidate routes, where
 * the server (not the browser) starts and completes the multipart upload.
 */
import AwsS3, { type AwsS3Part } from '@uppy/aws-s3'
import Uppy from '@uppy/core'
import { type Api, call } from '../shared/api'
import { baseType } from '../shared/media'
import type { UploadState } from '../shared/types'

const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10000, 20000]
// One part on the wire at a time: after a cut only the part that was on its way is sent again
// (S3 keeps no half part), and one connection already fills a candidate's uplink. The benchmark
// (bench/flows.py) reads this constant.
const PARALLEL_PARTS = 1

type Meta = Record<string, never>
type Body = Record<string, never>

export interface TakeRef {
  questionId: string
  takeId: string
}

export class TakeUpload {
  private readonly uppy: Uppy<Meta, Body>
  private readonly path: { questionId: string; takeId: string }
  private readonly contentType: string
  private uploadId: string | null = null
  private partSize = 0
  /** Part URLs not yet used; a part asks again after a failure (its URL may have expired). */
  private readonly urls = new Map<number, string>()
  private fileId: string | null = null

  constructor(
    private readonly api: Api,
    take: TakeRef,
    private readonly blob: Blob,
    onProgress: (fraction: number) => void,
    /** A take this page just recorded and never sent: no upload of it can exist yet, so none is looked for. */
    private readonly fresh = false,
    /** Its upload's state, when the page has just asked for it. */
    private readonly known?: UploadState,
  ) {
    this.path = { questionId: take.questionId, takeId: take.takeId }
    this.contentType = baseType(blob.type)
    this.uppy = new Uppy<Meta, Body>({ autoProceed: false, allowMultipleUploadBatches: true })
    this.uppy.use(AwsS3<Meta, Body>, {
      shouldUseMultipart: true,
      limit: PARALLEL_PARTS,
      retryDelays: RETRY_DELAYS_MS,
      getChunkSize: () => this.partSize,
      createMultipartUpload: () => ({ uploadId: this.uploadId!, key: this.path.takeId }),
      signPart: (_file, { partNumber }) => this.partUrl(partNumber),
      listParts: () => this.storedParts(),
      completeMultipartUpload: async (_file, { parts }) => {
        await call(
          this.api.POST('/api/c/questions/{questionId}/takes/{takeId}/complete', {
            params: { path: this.path },
            body: { parts: parts.map((p) => ({ partNumber: p.PartNumber!, etag: p.ETag! })) },
          }),
        )
        return {}
      },
      // Never abort on the server: the stored parts are what a later try resumes from.
      // The uploads bucket's lifecycle rule clears uploads nobody finishes.
      abortMultipartUpload: () => undefined,
    })
    this.uppy.on('upload-progress', (_file, progress) => {
      if (progress.bytesTotal) onProgress(Math.min(1, Number(progress.bytesUploaded) / progress.bytesTotal))
    })
  }

  /** Upload the take; resumes an unfinished upload of the same take (a reload, a closed tab). */
  async start(): Promise<void> {
    const resumed = await this.prepare()
    this.fileId = this.uppy.addFile({ name: `${this.path.takeId}.${this.contentType.split('/')[1] ?? 'webm'}`, type: this.contentType, data: this.blob })
    if (resumed) this.markStarted()
    this.check(await this.uppy.upload())
  }

  /** Try again after a failure: sends only the parts S3 does not hold yet. */
  async retry(): Promise<void> {
    if (!this.fileId) return this.start()
    this.markStarted()
    this.check(await this.uppy.retryUpload(this.fileId))
  }

  close() {
    this.uppy.destroy()
  }

  private async prepare(): Promise<boolean> {
    if (!this.fresh) {
      const state = this.known ?? (await call(this.api.GET('/api/c/questions/{questionId}/takes/{takeId}/upload', { params: { path: this.path } })))
      // Parts are listed only while the upload is open: then resume it, else start afresh (nothing is lost).
      if (state.uploadId && state.size === this.blob.size && state.partSize > 0 && state.parts.length > 0) {
        this.uploadId = state.uploadId
        this.partSize = state.partSize
        return true
      }
    }
    const ticket = await call(
      this.api.POST('/api/c/questions/{questionId}/takes/{takeId}/upload', {
        params: { path: this.path },
        body: { contentType: this.contentType, size: this.blob.size, live: false },
      }),
    )
    this.uploadId = ticket.uploadId
    this.partSize = ticket.partSize
    for (const part of ticket.parts) this.urls.set(part.partNumber, part.url)
    return false
  }

  /** Tell the plugin an upload exists, so it lists the stored parts before sending. */
  private markStarted() {
    if (!this.fileId || !this.uploadId) return
    this.uppy.setFileState(this.fileId, { s3Multipart: { uploadId: this.uploadId, key: this.path.takeId } } as never)
  }

  private async partUrl(partNumber: number): Promise<{ method: 'PUT'; url: string }> {
    const url = this.urls.get(partNumber)
    if (url) {
      this.urls.delete(partNumber)
      return { method: 'PUT', url }
    }
    const { parts } = await call(
      this.api.POST('/api/c/questions/{questionId}/takes/{takeId}/upload/parts', {
        params: { path: this.path },
        body: { partNumbers: [partNumber] },
      }),
    )
    const fresh = parts.find((p) => p.partNumber === partNumber)
    if (!fresh) throw new Error(`no URL for part ${partNumber}`)
    return { method: 'PUT', url: fresh.url }
  }

  private async storedParts(): Promise<AwsS3Part[]> {
    const state = await call(this.api.GET('/api/c/questions/{questionId}/takes/{takeId}/upload', { params: { path: this.path } }))
    return state.parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag, Size: p.size }))
  }

  private check(result: Awaited<ReturnType<Uppy<Meta, Body>['upload']>>) {
    const failed = result?.failed?.[0]
    if (failed) throw new Error(String(failed.error ?? 'upload failed'))
    if (!result?.successful?.length) throw new Error('upload failed')
  }
}
