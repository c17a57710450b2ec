"""The candidate app in the interview's language, in headless Chromium on the local stack: an
interview in Spanish and one in German from welcome to submit, an "auto" interview in the
browser's French, and the pages shown before the interview is known in the browser's language.
Words, <html lang>, the deadline in the candidate's zone and language, numbers, axe-core, and no
text wider than a phone's screen. Screenshots: tests/e2e/artifacts/candidate-lang-*.png."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.candidate_support import TEXT_PROMPT, VIDEO_PROMPT, axe, invite
from tests.support.client import Api

pytestmark = pytest.mark.e2e

DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)
MADRID = ZoneInfo("Europe/Madrid")
# Intl's short month names (CLDR), Chromium's ICU: September is "sept" or "sep" by version.
MONTHS = {
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept?", "oct", "nov", "dic"],
    "de": ["Jan", "Feb", "März", "Apr", "Mai", "Juni", "Juli", "Aug", "Sept?", "Okt", "Nov", "Dez"],
}


def shot(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"candidate-lang-{name}.png"), full_page=True)


def fits(page: Page) -> list[str]:
    """What is wider than its box or the screen: the page, or any box of text in it."""
    return page.evaluate(
        """() => {
            const out = []
            if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page ${document.documentElement.scrollWidth}px`)
            for (const el of document.querySelectorAll('main *')) {
                if (el.closest('.visually-hidden, video, svg') || !el.clientWidth) continue
                if (el.scrollWidth > el.clientWidth + 1) out.push(`wider than its box: ${el.textContent.trim().slice(0, 60)}`)
                const r = el.getBoundingClientRect()
                if (r.right > window.innerWidth + 1 || r.left < -1) out.push(`off screen: ${el.textContent.trim().slice(0, 60)}`)
            }
            return out
        }"""
    )


def both_sizes(page: Page, artifacts, name: str) -> None:
    """Screenshots at 1280x800 and 390x844; at neither width may a text overflow its box."""
    assert fits(page) == [], f"{name} at 1280 px: {fits(page)}"
    shot(page, artifacts, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    assert fits(page) == [], f"{name} at 390 px: {fits(page)}"
    shot(page, artifacts, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def deadline_in(inv, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(Api(inv.url.split("/c/")[0], inv.token).get("/api/c/session")["deadline"]).astimezone(zone)


def deadline_pattern(at: datetime, lang: str) -> re.Pattern:
    """Day, month and year as Intl writes them in `lang` (es: "11 dic 2026"; de: "11. Dez. 2026"), then the 24-hour time."""
    month = MONTHS[lang][at.month - 1]
    day = rf"{at.day}\.? {month}\.? {at.year}"
    return re.compile(rf"{day}.*\b0?{at.hour}:{at.minute:02d}\b.*(CET|CEST|MEZ|MESZ|GMT\+[12]|UTC\+[12])")


def test_an_interview_in_spanish_speaks_spanish_from_welcome_to_submit(browser, stack, artifacts):
    inv = invite(stack, language="es-ES", think=30, answer=10, takes=2)
    # An English browser in Madrid: the words are the interview's, the clock is the candidate's.
    context = browser.new_context(viewport=DESKTOP, locale="en-US", timezone_id="Europe/Madrid")
    page = context.new_page()
    page.goto(inv.url)
    welcome = page.get_by_test_id("welcome")
    expect(welcome).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_title("Entrevista en vídeo · Demo Company")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Ada Lovelace")
    expect(welcome).to_contain_text("Demo Company le invita a una entrevista en vídeo")
    expect(welcome).to_contain_text("2 preguntas")
    expect(welcome).to_contain_text(re.compile(r"Cerca de \d+ minutos? en total"))
    questions = page.get_by_test_id("question-list")
    expect(questions).to_contain_text("Pregunta 1: respuesta en vídeo")
    expect(questions).to_contain_text("30 s para pensar, 10 s para responder · 2 intentos")
    expect(questions).to_contain_text("Pregunta 2: respuesta escrita")
    expect(page.get_by_test_id("privacy-notice")).to_contain_text("reconocimiento automático de voz")
    expect(page.get_by_test_id("deadline")).to_have_text(deadline_pattern(deadline_in(inv, MADRID), "es"))
    expect(welcome).to_contain_text("Fecha límite para responder en su zona horaria (Europe/Madrid)")
    expect(page.get_by_test_id("accommodations")).to_contain_text("¿Necesita más tiempo u otra forma de responder?")
    axe(page, "Spanish welcome")
    both_sizes(page, artifacts, "es-01-welcome")
    page.get_by_label(re.compile("Acepto la grabación")).check()
    page.get_by_role("button", name="Aceptar y continuar").click()

    device = page.get_by_test_id("device-check")
    expect(device).to_be_visible()
    expect(device).to_contain_text("Compruebe su cámara y su micrófono")
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.videoWidth > 0 }")
    expect(device).to_contain_text("Cámara: Funciona")
    axe(page, "Spanish device check")
    page.get_by_role("button", name="Continuar").click()

    intro = page.get_by_test_id("question-intro")
    expect(intro).to_contain_text("Pregunta 1 de 2")
    expect(intro).to_contain_text("Después tiene 30 s para pensar y 10 s para responder.")
    expect(intro).to_contain_text("Tiene 2 intentos para esta pregunta.")
    axe(page, "Spanish question intro")
    page.get_by_role("button", name="Empezar", exact=True).click()
    capture = page.get_by_test_id("capture")
    expect(capture).to_have_attribute("data-phase", "think")
    expect(page.get_by_test_id("question-prompt")).to_have_text(VIDEO_PROMPT)  # the recruiter's words, as written
    expect(capture).to_contain_text("Tiempo para pensar")
    expect(page.get_by_role("button", name="Empezar a grabar ya")).to_be_visible()
    axe(page, "Spanish thinking")
    both_sizes(page, artifacts, "es-02-question")
    page.get_by_role("button", name="Empezar a grabar ya").click()
    expect(capture).to_have_attribute("data-phase", "record")
    expect(capture).to_contain_text("Grabando")
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Detener").click()

    expect(page.get_by_label("Su respuesta grabada")).to_be_visible()
    expect(page.get_by_test_id("review-take")).to_contain_text("Le queda 1 intento")
    axe(page, "Spanish watch back")
    both_sizes(page, artifacts, "es-03-watch-back")
    page.get_by_role("button", name="Enviar respuesta").click()
    expect(page.get_by_test_id("upload-status")).to_have_text(re.compile(r"Subiendo… \d+\s?%|Respuesta enviada\."))

    text = page.get_by_test_id("text-question")
    expect(text).to_be_visible(timeout=30_000)
    expect(text).to_contain_text("Pregunta 2 de 2")
    expect(text).to_contain_text(TEXT_PROMPT)
    page.get_by_label("Su respuesta").fill("Doce caracteres, diecisiete.")
    expect(page.locator("#text-count")).to_have_text("28 / 10.000 caracteres")
    axe(page, "Spanish text question")
    page.get_by_role("button", name="Enviar respuesta").click()

    expect(page.get_by_test_id("finish")).to_contain_text("Ha respondido a todas las preguntas")
    page.get_by_role("button", name="Finalizar").click()
    done = page.get_by_test_id("done")
    expect(done).to_contain_text("Gracias, su entrevista se ha enviado")
    expect(page.get_by_label("5: Excelente")).to_be_visible()
    axe(page, "Spanish done")
    shot(page, artifacts, "es-04-done")

    page.reload()
    expect(page.get_by_test_id("already-submitted")).to_contain_text("Su entrevista ya se ha enviado")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    context.close()


def test_an_interview_in_german_speaks_german_on_a_phone(browser, stack, artifacts):
    inv = invite(stack, language="de-DE", think=20, answer=10, takes=1, text=False)
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/Madrid")
    page = context.new_page()
    page.goto(inv.url)
    welcome = page.get_by_test_id("welcome")
    expect(welcome).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_title("Videointerview · Demo Company")
    expect(page.get_by_role("heading", level=1)).to_have_text("Guten Tag, Ada Lovelace")
    expect(welcome).to_contain_text("1 Frage")
    expect(page.get_by_test_id("question-list")).to_contain_text("20 Sek. Bedenkzeit, 10 Sek. für die Antwort · 1 Versuch")
    expect(page.get_by_test_id("deadline")).to_have_text(deadline_pattern(deadline_in(inv, MADRID), "de"))
    expect(page.get_by_test_id("privacy-notice")).to_contain_text("automatische Spracherkennung")
    axe(page, "German welcome")
    both_sizes(page, artifacts, "de-01-welcome")
    page.get_by_label(re.compile("Ich stimme der Aufnahme")).check()
    page.get_by_role("button", name="Zustimmen und weiter").click()

    expect(page.get_by_test_id("device-check")).to_contain_text("Kamera und Mikrofon prüfen")
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.videoWidth > 0 }")
    axe(page, "German device check")
    both_sizes(page, artifacts, "de-02-device-check")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_test_id("question-intro")).to_contain_text("Sie haben 1 Versuch für diese Frage.")
    page.get_by_role("button", name="Starten", exact=True).click()
    expect(page.get_by_test_id("capture")).to_have_attribute("data-phase", "think")
    expect(page.get_by_test_id("capture")).to_contain_text("Tastatur: Leertaste startet die Aufnahme sofort")
    axe(page, "German thinking")
    both_sizes(page, artifacts, "de-03-question")
    page.get_by_role("button", name="Jetzt aufnehmen").click()
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Stopp").click()
    expect(page.get_by_test_id("review-take")).to_contain_text("Keine Versuche mehr: Diese Antwort wird gesendet.")
    both_sizes(page, artifacts, "de-04-watch-back")
    page.get_by_role("button", name="Antwort senden").click()

    expect(page.get_by_test_id("finish")).to_contain_text("Alle Fragen beantwortet", timeout=30_000)
    page.get_by_role("button", name="Abschließen").click()
    expect(page.get_by_test_id("done")).to_contain_text("Vielen Dank, Ihr Interview wurde gesendet")
    axe(page, "German done")
    context.close()


def test_an_auto_interview_speaks_the_browsers_french(browser, stack, artifacts):
    # Answers may come in any language: the app follows the browser's first language it is written in.
    inv = invite(stack, language="auto", think=30)
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    page.goto(inv.url)
    welcome = page.get_by_test_id("welcome")
    expect(welcome).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Ada Lovelace")
    # French typography: a no-break space before the colon.
    expect(page.get_by_test_id("question-list")).to_contain_text("Question 1\u00a0: réponse vidéo")
    expect(page.get_by_test_id("privacy-notice")).to_contain_text("reconnaissance vocale automatique")
    axe(page, "French welcome")
    both_sizes(page, artifacts, "fr-01-welcome")
    page.get_by_label(re.compile("J’accepte l’enregistrement")).check()
    page.get_by_role("button", name="J’accepte et je continue").click()
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.videoWidth > 0 }")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Commencer", exact=True).click()
    expect(page.get_by_test_id("capture")).to_have_attribute("data-phase", "think")
    axe(page, "French thinking")
    both_sizes(page, artifacts, "fr-02-question")
    context.close()


@pytest.mark.parametrize(("locale", "lang", "title"), [("de-DE", "de", "Dieser Link funktioniert nicht"), ("es-MX", "es", "Este enlace no funciona")])
def test_before_the_interview_is_known_the_page_speaks_the_browsers_language(browser, stack, artifacts, locale, lang, title):
    inv = invite(stack)
    context = browser.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    page.goto(inv.url.replace(inv.token, "x" * len(inv.token)))
    expect(page.get_by_test_id("bad-token")).to_contain_text(title)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    axe(page, f"bad link in {lang}")
    shot(page, artifacts, f"{lang}-00-bad-link")
    page.goto(inv.url.split("#")[0])
    expect(page.get_by_test_id("no-token")).to_be_visible()
    assert fits(page) == []
    context.close()
