"""Español: las palabras de los correos a los candidatos (claves: mail_strings/__init__.py)."""

STRINGS: dict[str, object] = {
    "organization_fallback": "El equipo de selección",
    "months": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"),
    "weekdays": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "date": "{weekday}, {day} de {month} de {year}, {time} ({zone})",
    "questions_one": "{n} pregunta",
    "questions_other": "{n} preguntas",
    # The sample values of a preview or a test.
    "sample.candidate": "Lucía Ejemplo",
    "sample.interview": "Atención al cliente",
    "link_fallback": "Si el botón no funciona, abre este enlace:",
    "sent_by": "Enviado por Oneway para {organization}.",
    "invitation.subject": "{organization}: tu entrevista en vídeo para {interview}",
    "invitation.message": (
        "Hola, {candidate}:\n\n"
        "{organization} te invita a una entrevista en vídeo para «{interview}».\n\n"
        "La entrevista tiene {questions} y te llevará unos {minutes} minutos. Puedes hacerla cuando te venga bien antes del "
        "{deadline}, y hacer pausas entre preguntas. El enlace también muestra el plazo en tu propia zona horaria."
    ),
    "invitation.button": "Empezar la entrevista",
    "invitation.prepare": (
        "Para prepararte: un lugar tranquilo con luz de frente, una cámara y un micrófono, y un Chrome, Edge, Firefox "
        "o Safari recientes (también sirve un móvil). Puedes practicar antes de las preguntas reales."
    ),
    "invitation.personal": (
        "Este enlace es personal: no lo compartas. Si necesitas más tiempo o responder por escrito en lugar de en "
        "vídeo, puedes pedirlo en la primera página."
    ),
    "reminder.subject": "Recordatorio: entrevista en vídeo de {organization} para {interview}",
    "reminder.message": (
        "Hola, {candidate}:\n\n"
        "Te recordamos que tu entrevista en vídeo con {organization} para «{interview}» está abierta hasta el {deadline}. "
        "Te llevará unos {minutes} minutos, y puedes continuar donde lo dejaste."
    ),
    "reminder.footer": "Usa el enlace de tu correo de invitación. Si no lo encuentras, responde para pedir uno nuevo.",
    "deadline.subject": "{organization}: más tiempo para tu entrevista en vídeo",
    "deadline.message": (
        "Hola, {candidate}:\n\n"
        "{organization} te ha dado más tiempo para la entrevista en vídeo «{interview}»: ahora está abierta hasta el {deadline}."
    ),
    "deadline.footer": "Usa el enlace de tu correo de invitación.",
    "follow_up.subject": "{organization}: preguntas de seguimiento sobre tu entrevista en vídeo",
    "follow_up.message": (
        "Hola, {candidate}:\n\n"
        "Gracias por tu entrevista en vídeo \"{interview}\". {organization} quiere hacerte {questions} de seguimiento. "
        "Respóndelas antes del {deadline}, con el mismo tiempo para pensar y responder que antes."
    ),
    "follow_up.footer": "Abre el enlace de tu correo de invitación: el mismo que usaste para la entrevista.",
    "advance.subject": "{organization}: el siguiente paso para {interview}",
    "advance.message": (
        "Hola, {candidate}:\n\n"
        "Gracias por tu entrevista en vídeo para «{interview}». Nos gustaría que dieras el siguiente paso con nosotros.\n\n"
        "Elige aquí el momento que mejor te venga: {link}\n\n"
        "Esperamos hablar contigo pronto.\n\n"
        "{organization}"
    ),
    "advance.button": "Elegir un momento",
    "reject.subject": "{organization}: tu candidatura para {interview}",
    "reject.message": (
        "Hola, {candidate}:\n\n"
        "Gracias por dedicar tiempo a grabar tu entrevista en vídeo para «{interview}». Tras revisarla con atención, "
        "hemos decidido no seguir adelante con tu candidatura.\n\n"
        "Te deseamos mucho éxito.\n\n"
        "{organization}"
    ),
    "apply_code.subject": "{code} es tu código para {interview}",
    "apply_code.message": "Hola, {candidate}:\n\nTu código para presentar tu candidatura a «{interview}» ({organization}) es {code}.",
    "apply_code.footer": "Escríbelo en la página de la candidatura en los próximos 15 minutos. Si no te has presentado, ignora este correo: sin el código no ocurre nada.",
}
