/** Drafts of written answers, kept on the device while the candidate types: a reload or a closed tab keeps them.
 * Kept per invitation (its scope, a digest of the token) and question, in localStorage: the text is the candidate's
 * until they press Submit, so it is not sent anywhere before then. */

const key = (scope: string, questionId: string) => `oneway.draft.${scope}.${questionId}`

export function loadDraft(scope: string, questionId: string): string {
  try {
    return localStorage.getItem(key(scope, questionId)) ?? ''
  } catch {
    return '' // storage blocked (some private modes): no draft, the answer still works
  }
}

export function saveDraft(scope: string, questionId: string, text: string): boolean {
  try {
    if (text) localStorage.setItem(key(scope, questionId), text)
    else localStorage.removeItem(key(scope, questionId))
    return true
  } catch {
    return false
  }
}

export function clearDraft(scope: string, questionId: string): void {
  saveDraft(scope, questionId, '')
}
