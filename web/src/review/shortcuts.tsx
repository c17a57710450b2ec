/** Keyboard shortcuts for what a reviewer repeats, and the help overlay that lists them (press ?). */
import { useEffect, useRef } from 'react'
import { t } from './strings'

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT'])

/** Call `keys[event.key]` on key presses outside text fields; modifier chords are left to the browser. */
export function useShortcuts(enabled: boolean, keys: Record<string, () => void>) {
  const saved = useRef(keys)
  saved.current = keys
  useEffect(() => {
    if (!enabled) return
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return
      const target = e.target as HTMLElement | null
      if (target && (TYPING.has(target.tagName) && (target as HTMLInputElement).type !== 'radio' || target.isContentEditable)) return
      // Space on a focused button or link keeps its own meaning.
      if (e.key === ' ' && target && (target.tagName === 'BUTTON' || target.tagName === 'A')) return
      const action = saved.current[e.key]
      if (!action) return
      e.preventDefault()
      action()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [enabled])
}

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = dialog.current
    if (d && !d.open) d.showModal()
  }, [])
  return (
    <dialog ref={dialog} className="help-overlay" aria-labelledby="shortcuts-title" onClose={onClose} data-testid="shortcuts-help">
      <h2 id="shortcuts-title">{t.shortcuts.title}</h2>
      <table className="table">
        <caption className="visually-hidden">{t.shortcuts.title}</caption>
        <thead>
          <tr>
            <th scope="col">{t.shortcuts.key}</th>
            <th scope="col">{t.shortcuts.action}</th>
          </tr>
        </thead>
        <tbody>
          {t.shortcuts.list.map(([key, what]) => (
            <tr key={key}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" className="button" autoFocus>
          {t.shortcuts.close}
        </button>
      </form>
    </dialog>
  )
}
