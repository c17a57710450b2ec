"""Deutsch: die Worte der E-Mails an Bewerberinnen und Bewerber (Schlüssel: mail_strings/__init__.py)."""

STRINGS: dict[str, object] = {
    "organization_fallback": "Das Recruiting-Team",
    "months": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"),
    "weekdays": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "date": "{weekday}, {day}. {month} {year}, {time} Uhr ({zone})",
    "questions_one": "{n} Frage",
    "questions_other": "{n} Fragen",
    # The sample values of a preview or a test.
    "sample.candidate": "Alex Beispiel",
    "sample.interview": "Kundenservice",
    "link_fallback": "Falls die Schaltfläche nicht funktioniert, öffnen Sie diesen Link:",
    "sent_by": "Von Oneway im Auftrag von {organization} gesendet.",
    "invitation.subject": "{organization}: Ihr Videointerview für {interview}",
    "invitation.message": (
        "Hallo {candidate},\n\n"
        "{organization} lädt Sie zu einem Videointerview für „{interview}“ ein.\n\n"
        "Das Interview hat {questions} und dauert etwa {minutes} Minuten. Sie können es jederzeit bis {deadline} machen "
        "und zwischen den Fragen pausieren. Der Link zeigt die Frist auch in Ihrer eigenen Zeitzone."
    ),
    "invitation.button": "Interview starten",
    "invitation.prepare": (
        "Zur Vorbereitung: ein ruhiger Ort mit Licht von vorn, eine Kamera und ein Mikrofon sowie ein aktuelles Chrome, "
        "Edge, Firefox oder Safari (ein Smartphone geht auch). Vor den echten Fragen können Sie üben."
    ),
    "invitation.personal": (
        "Dieser Link ist persönlich: Bitte geben Sie ihn nicht weiter. Wenn Sie mehr Zeit oder eine schriftliche "
        "Alternative zum Video brauchen, können Sie das auf der ersten Seite beantragen."
    ),
    "reminder.subject": "Erinnerung: Videointerview von {organization} für {interview}",
    "reminder.message": (
        "Hallo {candidate},\n\n"
        "eine Erinnerung: Ihr Videointerview mit {organization} für „{interview}“ ist bis {deadline} geöffnet. "
        "Es dauert etwa {minutes} Minuten, und Sie können dort weitermachen, wo Sie aufgehört haben."
    ),
    "reminder.footer": "Nutzen Sie den Link aus Ihrer Einladungs-E-Mail. Wenn Sie ihn nicht finden, antworten Sie, um einen neuen zu erhalten.",
    "deadline.subject": "{organization}: mehr Zeit für Ihr Videointerview",
    "deadline.message": (
        "Hallo {candidate},\n\n"
        "{organization} hat Ihnen mehr Zeit für das Videointerview „{interview}“ gegeben: Es ist jetzt bis {deadline} geöffnet."
    ),
    "deadline.footer": "Nutzen Sie den Link aus Ihrer Einladungs-E-Mail.",
    "follow_up.subject": "{organization}: Rückfragen zu Ihrem Videointerview",
    "follow_up.message": (
        "Hallo {candidate},\n\n"
        "vielen Dank für Ihr Videointerview „{interview}“. {organization} möchte Ihnen noch {questions} stellen. "
        "Bitte beantworten Sie sie bis {deadline}, mit derselben Zeit zum Nachdenken und Antworten wie zuvor."
    ),
    "follow_up.footer": "Öffnen Sie den Link aus Ihrer Einladungs-E-Mail: denselben, den Sie für das Interview genutzt haben.",
    "advance.subject": "{organization}: der nächste Schritt für {interview}",
    "advance.message": (
        "Hallo {candidate},\n\n"
        "vielen Dank für Ihr Videointerview für „{interview}“. Wir möchten gern den nächsten Schritt mit Ihnen gehen.\n\n"
        "Bitte wählen Sie hier einen passenden Termin: {link}\n\n"
        "Wir freuen uns auf das Gespräch mit Ihnen.\n\n"
        "{organization}"
    ),
    "advance.button": "Termin wählen",
    "reject.subject": "{organization}: Ihre Bewerbung für {interview}",
    "reject.message": (
        "Hallo {candidate},\n\n"
        "vielen Dank, dass Sie sich die Zeit für das Videointerview für „{interview}“ genommen haben. Nach sorgfältiger "
        "Prüfung haben wir entschieden, Ihre Bewerbung nicht weiter zu verfolgen.\n\n"
        "Wir wünschen Ihnen viel Erfolg.\n\n"
        "{organization}"
    ),
    "apply_code.subject": "{code} ist Ihr Code für {interview}",
    "apply_code.message": "Hallo {candidate},\n\nIhr Code für die Bewerbung auf „{interview}“ ({organization}) lautet {code}.",
    "apply_code.footer": "Geben Sie ihn innerhalb von 15 Minuten auf der Bewerbungsseite ein. Wenn Sie sich nicht beworben haben, ignorieren Sie diese E-Mail: Ohne den Code geschieht nichts.",
}
