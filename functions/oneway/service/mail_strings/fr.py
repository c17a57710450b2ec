"""Français : les mots des e-mails aux candidats (clés : mail_strings/__init__.py)."""

STRINGS: dict[str, object] = {
    "organization_fallback": "L’équipe de recrutement",
    "months": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
    "weekdays": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "date": "{weekday} {day} {month} {year}, {time} ({zone})",
    "questions_one": "{n} question",
    "questions_other": "{n} questions",
    # The sample values of a preview or a test.
    "sample.candidate": "Camille Exemple",
    "sample.interview": "Service client",
    "link_fallback": "Si le bouton ne fonctionne pas, ouvrez ce lien :",
    "sent_by": "Envoyé par Oneway pour {organization}.",
    "invitation.subject": "{organization} : votre entretien vidéo pour {interview}",
    "invitation.message": (
        "Bonjour {candidate},\n\n"
        "{organization} vous invite à un entretien vidéo pour « {interview} ».\n\n"
        "L’entretien comporte {questions} et prend environ {minutes} minutes. Vous pouvez le faire quand vous le "
        "souhaitez avant le {deadline}, et faire des pauses entre les questions. Le lien indique aussi l’échéance dans "
        "votre fuseau horaire."
    ),
    "invitation.button": "Commencer l’entretien",
    "invitation.prepare": (
        "Pour vous préparer : un endroit calme avec de la lumière face à vous, une caméra et un micro, et un Chrome, "
        "Edge, Firefox ou Safari récent (un téléphone convient aussi). Vous pouvez vous entraîner avant les vraies questions."
    ),
    "invitation.personal": (
        "Ce lien est personnel : merci de ne pas le partager. Si vous avez besoin de plus de temps ou de répondre par "
        "écrit plutôt qu’en vidéo, vous pouvez le demander sur la première page."
    ),
    "reminder.subject": "Rappel : entretien vidéo de {organization} pour {interview}",
    "reminder.message": (
        "Bonjour {candidate},\n\n"
        "Un rappel : votre entretien vidéo avec {organization} pour « {interview} » est ouvert jusqu’au {deadline}. "
        "Il prend environ {minutes} minutes, et vous pouvez reprendre là où vous vous étiez arrêté."
    ),
    "reminder.footer": "Utilisez le lien de votre e-mail d’invitation. Si vous ne le trouvez pas, répondez pour en demander un nouveau.",
    "deadline.subject": "{organization} : plus de temps pour votre entretien vidéo",
    "deadline.message": (
        "Bonjour {candidate},\n\n"
        "{organization} vous accorde plus de temps pour l’entretien vidéo « {interview} » : il est désormais ouvert jusqu’au {deadline}."
    ),
    "deadline.footer": "Utilisez le lien de votre e-mail d’invitation.",
    "follow_up.subject": "{organization} : questions complémentaires sur votre entretien vidéo",
    "follow_up.message": (
        "Bonjour {candidate},\n\n"
        "Merci pour votre entretien vidéo « {interview} ». {organization} souhaite vous poser encore {questions}. "
        "Merci d'y répondre avant le {deadline}, avec le même temps de réflexion et de réponse qu'auparavant."
    ),
    "follow_up.footer": "Ouvrez le lien de votre e-mail d'invitation : le même que pour l'entretien.",
    "advance.subject": "{organization} : la prochaine étape pour {interview}",
    "advance.message": (
        "Bonjour {candidate},\n\n"
        "Merci pour votre entretien vidéo pour « {interview} ». Nous aimerions passer à l’étape suivante avec vous.\n\n"
        "Choisissez ici le créneau qui vous convient : {link}\n\n"
        "Au plaisir d’échanger avec vous.\n\n"
        "{organization}"
    ),
    "advance.button": "Choisir un créneau",
    "reject.subject": "{organization} : votre candidature pour {interview}",
    "reject.message": (
        "Bonjour {candidate},\n\n"
        "Merci d’avoir pris le temps d’enregistrer votre entretien vidéo pour « {interview} ». Après un examen attentif, "
        "nous avons décidé de ne pas donner suite à votre candidature.\n\n"
        "Nous vous souhaitons une pleine réussite.\n\n"
        "{organization}"
    ),
    "apply_code.subject": "{code} est votre code pour {interview}",
    "apply_code.message": "Bonjour {candidate},\n\nVotre code pour postuler à « {interview} » ({organization}) est {code}.",
    "apply_code.footer": "Saisissez-le sur la page de candidature dans les 15 minutes. Si vous n’avez pas postulé, ignorez cet e-mail : rien ne se passe sans le code.",
}
