"""The English of the emails to members (members read the review site in English)."""

STRINGS: dict[str, str] = {
    "link_fallback": "If the button does not work, open this link:",
    "sent_by": "Sent by Oneway for {organization}.",
    "organization_fallback": "Oneway",
    "ready.subject": "Ready for review: {candidate} for {interview}",
    "ready.message": "Every answer of {candidate} for \"{interview}\" is ready to review.",
    "ready.button": "Review {candidate}",
    "follow_up_answered.subject": "Follow-up questions answered: {interview}",
    "follow_up_answered.message": (
        "A candidate for \"{interview}\" answered the follow-up questions you asked ({count}). "
        "Their answers are on the candidate's page, after the interview's, once processed."
    ),
    "follow_up_answered.button": "Open the candidate's page",
    "accommodation.subject": "Accommodation request from {candidate}",
    "accommodation.message": "{candidate} ({email}) asks for {ask} in the interview \"{interview}\".",
    "accommodation.note": "Their note: {note}",
    "accommodation.footer": "Grant or decline it on the candidate's page; the candidate sees your answer on their link.",
    "accommodation.button": "Open the candidate's page",
    "accommodation.extra_time": "more time to think and answer",
    "accommodation.text_instead_of_video": "to answer the video questions in writing",
    "member_invitation.subject": "You are invited to {organization} on Oneway",
    "member_invitation.message": (
        "{inviter} invited you to review interviews on Oneway.\n\n"
        "Sign in with your email and this temporary password:\n\n{password}\n\n"
        "You will choose your own password when you first sign in."
    ),
    "member_invitation.button": "Sign in to Oneway",
    "member_elsewhere.subject": "An invitation to Oneway that could not be completed",
    "member_elsewhere.message": (
        "An administrator of {organization} invited {email} to review interviews on Oneway, but this address has a "
        "Oneway account already, so nothing was changed.\n\n"
        "An address belongs to one organization. If you expected this invitation, ask whoever runs Oneway for you to "
        "remove your current membership first; if you did not, you can ignore this message."
    ),
    "member_elsewhere.button": "Open Oneway",
    "test.subject": "[Test] ",
}
