import { QRCodeSVG } from 'qrcode.react'
import { t } from './strings'

/** A candidate's link as a QR code, to open it on a phone: an evaluator tries the interview on their own phone
 * (make dev LAN=1), or a candidate at a desk takes it on theirs. Level L without boosting: the fewest modules,
 * the easiest scan of a long link from a screen. */
export function LinkQr({ link, id }: { link: string; id: string }) {
  return (
    <figure className="link-qr" data-testid="link-qr" aria-labelledby={`${id}-caption`}>
      <QRCodeSVG value={link} size={168} marginSize={4} level="L" boostLevel={false} title={t.interview.qrTitle} role="img" aria-label={t.interview.qrLabel(link)} />
      <figcaption id={`${id}-caption`} className="muted small">
        {t.interview.qrCaption}
      </figcaption>
    </figure>
  )
}
