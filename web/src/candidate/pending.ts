/**
 * Recordings not yet sent, kept in IndexedDB so a closed tab or a reload does
 * not lose an answer: the candidate can watch it again and resume its upload.
 */

export interface PendingRecording {
  questionId: string
  takeId: string
  prompt: string
  takesLeft: number
  blob: Blob
  recordedAt: number
  /** Set when its upload began: on return the upload resumes by itself. */
  sending?: boolean
}

const DB = 'oneway-candidate'
const STORE = 'recordings'

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open()
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode)
      const request = work(tx.objectStore(STORE))
      tx.oncomplete = () => resolve(request.result)
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

/** One key per invitation and question; the token itself is never stored, only a digest of it. */
export async function scopeOf(token: string): Promise<string> {
  const bytes = new TextEncoder().encode(token)
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return Array.from(new Uint8Array(digest).slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('')
}

// Storage is a safety net: when it is unavailable (private mode, quota), recording still works.
export async function savePending(scope: string, recording: PendingRecording): Promise<void> {
  try {
    await run('readwrite', (s) => s.put(recording, `${scope}:${recording.questionId}`))
  } catch {
    /* no safety net on this device */
  }
}

export async function loadPending(scope: string, questionId: string): Promise<PendingRecording | null> {
  try {
    return ((await run('readonly', (s) => s.get(`${scope}:${questionId}`))) as PendingRecording | undefined) ?? null
  } catch {
    return null
  }
}

export async function clearPending(scope: string, questionId: string): Promise<void> {
  try {
    await run('readwrite', (s) => s.delete(`${scope}:${questionId}`))
  } catch {
    /* nothing to clear */
  }
}
