"""The privacy notice a candidate reads before agreeing to be recorded, in each language the
candidate app speaks (``domain.languages.CandidateLocale``).

The translations say the same thing, so one notice version (``Settings.notice_version``) covers
them all: a change to what one says is a change to all, and a new version.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.languages import DEFAULT_LOCALE, CandidateLocale

NBSP, NNBSP = "\u00a0", "\u202f"  # French: a space before ":", a thin one before ";", "?" and "!", never broken


def _en(org: str, days: int) -> str:
    return (
        f"{org} will see and hear your recorded answers and read your written ones. "
        "The recordings are converted for playback and transcribed by automated speech recognition, "
        "so that reviewers can read along; no automated tool scores or decides. "
        f"Your recordings and answers are kept for {days} {'day' if days == 1 else 'days'} after the interview and then deleted; "
        f"you can ask {org} to delete them sooner. The camera and microphone are used only after you agree."
    )


def _es(org: str, days: int) -> str:
    return (
        f"{org} verá y escuchará sus respuestas grabadas y leerá las escritas. "
        "Las grabaciones se convierten para poder reproducirlas y se transcriben mediante reconocimiento automático de voz, "
        "para que quienes las evalúan puedan leerlas mientras las ven; ninguna herramienta automática puntúa ni decide. "
        f"Sus grabaciones y respuestas se conservan durante {days} {'día' if days == 1 else 'días'} después de la entrevista y luego se eliminan; "
        f"puede pedir a {org} que las elimine antes. La cámara y el micrófono solo se utilizan después de que usted dé su consentimiento."
    )


def _de(org: str, days: int) -> str:
    return (
        f"{org} sieht und hört Ihre aufgezeichneten Antworten und liest Ihre schriftlichen. "
        "Die Aufnahmen werden für die Wiedergabe umgewandelt und durch automatische Spracherkennung transkribiert, "
        "damit die Personen, die sie bewerten, mitlesen können; kein automatisches Werkzeug vergibt Punkte oder entscheidet. "
        f"Ihre Aufnahmen und Antworten werden nach dem Interview {days} {'Tag' if days == 1 else 'Tage'} lang aufbewahrt und dann gelöscht; "
        f"Sie können {org} bitten, sie früher zu löschen. Kamera und Mikrofon werden erst verwendet, nachdem Sie zugestimmt haben."
    )


def _fr(org: str, days: int) -> str:
    return (
        f"{org} verra et entendra vos réponses enregistrées et lira vos réponses écrites. "
        "Les enregistrements sont convertis pour la lecture et transcrits par reconnaissance vocale automatique, "
        f"afin que les personnes qui les évaluent puissent lire ce qui est dit{NNBSP}; aucun outil automatique ne note ni ne décide. "
        f"Vos enregistrements et vos réponses sont conservés {days}{NBSP}{'jour' if days == 1 else 'jours'} après l’entretien, puis supprimés{NNBSP}; "
        f"vous pouvez demander à {org} de les supprimer plus tôt. La caméra et le micro ne sont utilisés qu’après votre accord."
    )


NOTICES: dict[str, Callable[[str, int], str]] = {"en": _en, "es": _es, "de": _de, "fr": _fr}


def notice(org_name: str, retention_days: int, locale: CandidateLocale = DEFAULT_LOCALE) -> str:
    return NOTICES.get(locale, _en)(org_name, retention_days)
