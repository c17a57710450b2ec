"""English: the words of the emails to candidates (keys: mail_strings/__init__.py)."""

STRINGS: dict[str, object] = {
    "organization_fallback": "The hiring team",
    "months": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
    "weekdays": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    # {weekday} {day} {month} {year} {time} {zone}
    "date": "{weekday} {day} {month} {year}, {time} ({zone})",
    "questions_one": "{n} question",
    "questions_other": "{n} questions",
    # The sample values of a preview or a test.
    "sample.candidate": "Alex Sample",
    "sample.interview": "Customer support specialist",
    "link_fallback": "If the button does not work, open this link:",
    "sent_by": "Sent by Oneway for {organization}.",
    "invitation.subject": "{organization}: your video interview for {interview}",
    "invitation.message": (
        "Hello {candidate},\n\n"
        "{organization} invites you to a video interview for \"{interview}\".\n\n"
        "The interview has {questions} and takes about {minutes} minutes. You can do it whenever suits you before "
        "{deadline}, and pause between questions. The link shows the deadline in your own time zone too."
    ),
    "invitation.button": "Start the interview",
    "invitation.prepare": (
        "To prepare: a quiet place with light in front of you, a camera and a microphone, and a recent Chrome, Edge, "
        "Firefox or Safari (a phone works too). You can practise before the real questions."
    ),
    "invitation.personal": (
        "This link is personal: please do not share it. If you need more time or a written alternative to video, "
        "you can ask for it on the first page."
    ),
    "reminder.subject": "Reminder: {organization} video interview for {interview}",
    "reminder.message": (
        "Hello {candidate},\n\n"
        "A reminder: your video interview with {organization} for \"{interview}\" is open until {deadline}. "
        "It takes about {minutes} minutes, and you can continue where you left off."
    ),
    "reminder.footer": "Use the link from your invitation email. If you cannot find it, reply to ask for a new one.",
    "deadline.subject": "{organization}: more time for your video interview",
    "deadline.message": (
        "Hello {candidate},\n\n"
        "{organization} has given you more time for the video interview \"{interview}\": it is now open until {deadline}."
    ),
    "deadline.footer": "Use the link from your invitation email.",
    "follow_up.subject": "{organization}: follow-up questions about your video interview",
    "follow_up.message": (
        "Hello {candidate},\n\n"
        "Thank you for your video interview \"{interview}\". {organization} would like to ask you {questions} as a follow-up. "
        "Please answer them before {deadline}, with the same time to think and to answer as before."
    ),
    "follow_up.footer": "Open the link from your invitation email: the same one you used for the interview.",
    "advance.subject": "{organization}: the next step for {interview}",
    "advance.message": (
        "Hello {candidate},\n\n"
        "Thank you for your video interview for \"{interview}\". We would like you to take the next step with us.\n\n"
        "Please choose a time that suits you here: {link}\n\n"
        "We look forward to speaking with you.\n\n"
        "{organization}"
    ),
    "advance.button": "Choose a time",
    "reject.subject": "{organization}: your application for {interview}",
    "reject.message": (
        "Hello {candidate},\n\n"
        "Thank you for taking the time to record your video interview for \"{interview}\". After careful review, "
        "we have decided not to take your application further.\n\n"
        "We wish you every success.\n\n"
        "{organization}"
    ),
    "apply_code.subject": "{code} is your code for {interview}",
    "apply_code.message": "Hello {candidate},\n\nYour code to apply for \"{interview}\" ({organization}) is {code}.",
    "apply_code.footer": "Type it on the application page within 15 minutes. If you did not apply, ignore this email: nothing happens without the code.",
}
