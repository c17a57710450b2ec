"""Recruiter routes: a Cognito access token, the organization from the identity."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from ..domain.models import CandidateStatus
from ..service.views import (
    AnalyticsView,
    AskFollowUps,
    AssignmentInput,
    AssignmentList,
    AssignmentView,
    BankQuestionList,
    BankQuestionView,
    BrandView,
    BulkAction,
    BulkResult,
    CandidateDetail,
    CandidateList,
    DecisionInput,
    DecisionView,
    DraftView,
    EmailPreview,
    EmailPreviewInput,
    EmailTemplateInput,
    EmailTemplatesView,
    EmailTemplateView,
    EmailTestSent,
    FollowUpRoundView,
    InterviewList,
    InterviewView,
    InvitationList,
    InviteCandidates,
    LogoInput,
    LogoUploadRequest,
    LogoUploadTicket,
    MemberInvite,
    MemberList,
    MemberRemoved,
    MemberUpdate,
    MemberView,
    MeView,
    NewInterview,
    NewTemplate,
    NoteInput,
    NoteView,
    OrganizationUpdate,
    OrganizationView,
    QuestionSpec,
    RetryView,
    ReviewInput,
    ReviewView,
    SearchResults,
    ShareCreated,
    ShareInput,
    ShareList,
    ShareView,
    StatusView,
    TemplateList,
    TemplateView,
    WebhookCreated,
    WebhookInput,
    WebhookList,
)
from .deps import ports
from .http import RouteDoc, current_actor
from .lazy import lazy

# The use cases, each imported by the first call that uses it.
analytics = lazy("oneway.service.analytics")
branding = lazy("oneway.service.branding")
identity = lazy("oneway.service.identity")
interviews = lazy("oneway.service.interviews")
invitations = lazy("oneway.service.invitations")
pipeline = lazy("oneway.service.pipeline")
privacy = lazy("oneway.service.privacy")
question_bank = lazy("oneway.service.question_bank")
review = lazy("oneway.service.review")
search = lazy("oneway.service.search")
notes = lazy("oneway.service.notes")
bulk = lazy("oneway.service.bulk")
follow_ups = lazy("oneway.service.follow_ups")
email_settings = lazy("oneway.service.email_settings")
sharing = lazy("oneway.service.sharing")
templates = lazy("oneway.service.templates")
webhooks = lazy("oneway.service.webhooks")

router = APIGatewayHttpRouter()
ROUTE: RouteDoc = {"tags": ["recruiter"], "security": [{"cognito": []}]}
Limit = Annotated[int, Query(ge=1, le=100)]


def actor():
    return current_actor(router.current_event)


def created(body):
    return Response(status_code=201, content_type="application/json", body=body)


@router.get("/api/me", **ROUTE)
def me() -> MeView:
    # Answers a member who must still set up two-step verification: the site learns it here.
    return identity.me(ports(), current_actor(router.current_event, mfa_setup=True))


@router.post("/api/me/mfa", **ROUTE)
def record_mfa() -> MeView:
    """Record that TOTP is on for the caller's account, as the user pool says (after the site set it up there)."""
    return identity.record_mfa(ports(), current_actor(router.current_event, mfa_setup=True))


@router.get("/api/organization", **ROUTE)
def get_organization() -> OrganizationView:
    return identity.get_organization(ports(), actor())


@router.patch("/api/organization", **ROUTE)
def update_organization(body: Annotated[OrganizationUpdate, Body()]) -> OrganizationView:
    return identity.update_organization(ports(), actor(), body)


@router.post("/api/organization/logo/upload", **ROUTE)
def begin_logo_upload(body: Annotated[LogoUploadRequest, Body()]) -> Response[LogoUploadTicket]:
    """A URL for one PUT of the logo's bytes (PNG, JPEG or WebP, at most 512 KB), for five minutes. Admins only."""
    return created(branding.begin_logo_upload(ports(), actor(), body))


@router.put("/api/organization/logo", **ROUTE)
def set_logo(body: Annotated[LogoInput, Body()]) -> BrandView:
    """The uploaded file, checked (type by its bytes, size, at most 1024x1024 pixels), becomes the logo; else 422."""
    return branding.set_logo(ports(), actor(), body)


@router.delete("/api/organization/logo", **ROUTE)
def remove_logo() -> BrandView:
    return branding.remove_logo(ports(), actor())


@router.get("/api/organization/emails", **ROUTE)
def list_email_templates() -> EmailTemplatesView:
    """The organization's email templates (admins): the words each kind is sent with, and the placeholders."""
    return email_settings.list_templates(ports(), actor())


@router.put("/api/organization/emails/<kind>", **ROUTE)
def save_email_template(kind: str, body: Annotated[EmailTemplateInput, Body()]) -> EmailTemplateView:
    """Rewrite one kind's subject and message (empty: Oneway's words); an unknown placeholder is refused (422)."""
    return email_settings.save_template(ports(), actor(), kind, body)


@router.post("/api/organization/emails/<kind>/preview", **ROUTE)
def preview_email_template(kind: str, body: Annotated[EmailPreviewInput, Body()]) -> EmailPreview:
    """The words given, rendered with sample values as the email would be sent (HTML and text)."""
    return email_settings.preview(ports(), actor(), kind, body)


@router.post("/api/organization/emails/<kind>/test", **ROUTE)
def send_test_email(kind: str, body: Annotated[EmailPreviewInput, Body()]) -> Response[EmailTestSent]:
    """The preview, emailed to the signed-in admin's own address (rate-limited, audited)."""
    return Response(status_code=202, content_type="application/json", body=email_settings.send_test(ports(), actor(), kind, body))


@router.post("/api/interviews", **ROUTE)
def create_interview(body: Annotated[NewInterview, Body()]) -> Response[InterviewView]:
    return created(interviews.create_interview(ports(), actor(), body))


@router.get("/api/interviews", **ROUTE)
def list_interviews(cursor: Annotated[str | None, Query()] = None, limit: Limit = 25) -> InterviewList:
    return interviews.list_interviews(ports(), actor(), cursor, limit)


@router.get("/api/interviews/<interviewId>", **ROUTE)
def get_interview(interviewId: str) -> InterviewView:
    return interviews.get_interview(ports(), actor(), interviewId)


@router.put("/api/interviews/<interviewId>", **ROUTE)
def update_interview(interviewId: str, body: Annotated[NewInterview, Body()]) -> InterviewView:
    return interviews.update_interview(ports(), actor(), interviewId, body)


@router.post("/api/interviews/<interviewId>/duplicate", **ROUTE)
def duplicate_interview(interviewId: str) -> Response[InterviewView]:
    return created(interviews.duplicate_interview(ports(), actor(), interviewId))


@router.post("/api/interviews/<interviewId>/archive", **ROUTE)
def archive_interview(interviewId: str) -> InterviewView:
    return interviews.set_archived(ports(), actor(), interviewId, True)


@router.post("/api/interviews/<interviewId>/restore", **ROUTE)
def restore_interview(interviewId: str) -> InterviewView:
    return interviews.set_archived(ports(), actor(), interviewId, False)


@router.post("/api/interviews/<interviewId>/close", **ROUTE)
def close_interview(interviewId: str) -> InterviewView:
    return interviews.close_interview(ports(), actor(), interviewId)


@router.post("/api/interviews/<interviewId>/invitations", **ROUTE)
def invite(interviewId: str, body: Annotated[InviteCandidates, Body()]) -> Response[InvitationList]:
    return created(invitations.invite_candidates(ports(), actor(), interviewId, body))


@router.get("/api/interviews/<interviewId>/candidates", **ROUTE)
def list_candidates(
    interviewId: str,
    status: Annotated[CandidateStatus | None, Query()] = None,
    cursor: Annotated[str | None, Query()] = None,
    limit: Limit = 50,
) -> CandidateList:
    return invitations.list_candidates(ports(), actor(), interviewId, status, cursor, limit)


@router.get("/api/interviews/<interviewId>/analytics", **ROUTE)
def interview_analytics(interviewId: str) -> AnalyticsView:
    return analytics.interview_analytics(ports(), actor(), interviewId)


@router.get(
    "/api/interviews/<interviewId>/analytics.csv",
    **ROUTE,
    responses={200: {"description": "The interview's analytics as CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def analytics_csv(interviewId: str) -> Response[str]:
    body = analytics.analytics_csv(ports(), actor(), interviewId)
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=body,
        headers={"Content-Disposition": f'attachment; filename="analytics-{interviewId}.csv"'},
    )


@router.get("/api/interviews/<interviewId>/search", **ROUTE)
def search_candidates(interviewId: str, q: Annotated[str, Query(min_length=1, max_length=200)]) -> SearchResults:
    return search.search_candidates(ports(), actor(), interviewId, q)


@router.get(
    "/api/interviews/<interviewId>/candidates.csv",
    **ROUTE,
    responses={200: {"description": "The candidates as CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def candidates_csv(
    interviewId: str,
    candidateIds: Annotated[
        str | None, Query(max_length=4000, description="Only these candidates, comma-separated (the table's selection)")
    ] = None,
) -> Response[str]:
    chosen = [c for c in candidateIds.split(",") if c] if candidateIds is not None else None
    body = analytics.candidates_csv(ports(), actor(), interviewId, candidate_ids=chosen)
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=body,
        headers={"Content-Disposition": f'attachment; filename="candidates-{interviewId}.csv"'},
    )


@router.get("/api/members", **ROUTE)
def list_members() -> MemberList:
    return identity.list_members(ports(), actor())


@router.post("/api/members", **ROUTE)
def invite_member(body: Annotated[MemberInvite, Body()]) -> Response[MemberView]:
    return created(identity.invite_member(ports(), actor(), body))


@router.patch("/api/members/<userId>", **ROUTE)
def update_member(userId: str, body: Annotated[MemberUpdate, Body()]) -> MemberView:
    return identity.update_member(ports(), actor(), userId, body)


@router.delete("/api/members/<userId>", **ROUTE)
def remove_member(userId: str) -> MemberRemoved:
    """Remove a member (admins; not oneself, not the last admin): signed out everywhere, account disabled and
    deleted, assignments dropped, share links revoked; their reviews and audit entries stay."""
    return identity.remove_member(ports(), actor(), userId)


@router.delete("/api/members/<userId>/mfa", **ROUTE)
def reset_member_mfa(userId: str) -> MemberView:
    """Turn two-step verification off for a member who lost their device (admins)."""
    return identity.reset_mfa(ports(), actor(), userId)


@router.post("/api/members/<userId>/password-reset", **ROUTE)
def reset_member_password(userId: str) -> MemberView:
    """Reset a member's password (admins; not their own): their sessions end and the user pool emails them a code
    to choose a new one (a member who never signed in gets their invitation again)."""
    return identity.reset_password(ports(), actor(), userId)


@router.get("/api/question-bank", **ROUTE)
def list_bank() -> BankQuestionList:
    return question_bank.list_bank(ports(), actor())


@router.post("/api/question-bank", **ROUTE)
def add_to_bank(body: Annotated[QuestionSpec, Body()]) -> Response[BankQuestionView]:
    return created(question_bank.add(ports(), actor(), body))


@router.delete("/api/question-bank/<questionId>", **ROUTE)
def remove_from_bank(questionId: str) -> StatusView:
    question_bank.remove(ports(), actor(), questionId)
    return StatusView(status="deleted")


@router.post("/api/interview-drafts", **ROUTE)
def new_draft() -> Response[DraftView]:
    """An id for an interview not saved yet: its question videos upload under it, its first save keeps it."""
    return created(interviews.new_draft(ports(), actor()))


@router.get("/api/interview-templates", **ROUTE)
def list_templates() -> TemplateList:
    """The organization's templates, then the built-in ones for common roles."""
    return templates.list_templates(ports(), actor())


@router.post("/api/interview-templates", **ROUTE)
def save_template(body: Annotated[NewTemplate, Body()]) -> Response[TemplateView]:
    return created(templates.save_template(ports(), actor(), body))


@router.delete("/api/interview-templates/<templateId>", **ROUTE)
def delete_template(templateId: str) -> StatusView:
    templates.delete_template(ports(), actor(), templateId)
    return StatusView(status="deleted")


@router.get("/api/webhooks", **ROUTE)
def list_webhooks() -> WebhookList:
    return webhooks.list_webhooks(ports(), actor())


@router.post("/api/webhooks", **ROUTE)
def create_webhook(body: Annotated[WebhookInput, Body()]) -> Response[WebhookCreated]:
    return created(webhooks.create_webhook(ports(), actor(), body))


@router.delete("/api/webhooks/<webhookId>", **ROUTE)
def delete_webhook(webhookId: str) -> StatusView:
    webhooks.delete_webhook(ports(), actor(), webhookId)
    return StatusView(status="deleted")


@router.get("/api/assignments", **ROUTE)
def my_assignments() -> AssignmentList:
    return review.my_assignments(ports(), actor())


@router.put("/api/candidates/<candidateId>/assignments", **ROUTE)
def assign(candidateId: str, body: Annotated[AssignmentInput, Body()]) -> AssignmentView:
    return review.assign(ports(), actor(), candidateId, body)


@router.delete("/api/candidates/<candidateId>/assignments/<reviewerId>", **ROUTE)
def unassign(candidateId: str, reviewerId: str) -> StatusView:
    review.unassign(ports(), actor(), candidateId, reviewerId)
    return StatusView(status="unassigned")


@router.post("/api/candidates/<candidateId>/shares", **ROUTE)
def create_share(candidateId: str, body: Annotated[ShareInput, Body()]) -> Response[ShareCreated]:
    return created(sharing.create_share(ports(), actor(), candidateId, body))


@router.get("/api/candidates/<candidateId>/shares", **ROUTE)
def list_shares(candidateId: str) -> ShareList:
    return sharing.list_shares(ports(), actor(), candidateId)


@router.delete("/api/candidates/<candidateId>/shares/<shareId>", **ROUTE)
def revoke_share(candidateId: str, shareId: str) -> ShareView:
    return sharing.revoke_share(ports(), actor(), candidateId, shareId)


@router.get("/api/candidates/<candidateId>", **ROUTE)
def get_candidate(candidateId: str) -> CandidateDetail:
    return review.candidate_detail(ports(), actor(), candidateId)


@router.post("/api/interviews/<interviewId>/candidates/bulk", **ROUTE)
def bulk_action(interviewId: str, body: Annotated[BulkAction, Body()]) -> BulkResult:
    """One action on up to 100 candidates (managers): each goes through the single action's use case, authorized
    and audited as it would be alone; the answer says, per candidate, whether it was done."""
    return bulk.act_on_candidates(ports(), actor(), interviewId, body)


@router.post("/api/candidates/<candidateId>/follow-ups", **ROUTE)
def ask_follow_ups(candidateId: str, body: Annotated[AskFollowUps, Body()]) -> Response[FollowUpRoundView]:
    """One to three follow-up questions for this candidate alone, after they submitted and before a decision."""
    return created(follow_ups.ask(ports(), actor(), candidateId, body))


@router.post("/api/candidates/<candidateId>/follow-ups/<number>/cancel", **ROUTE)
def cancel_follow_ups(candidateId: str, number: str) -> FollowUpRoundView:
    """Withdraw a round of follow-up questions not answered yet."""
    return follow_ups.cancel(ports(), actor(), candidateId, number)


@router.post("/api/candidates/<candidateId>/notes", **ROUTE)
def add_note(candidateId: str, body: Annotated[NoteInput, Body()]) -> Response[NoteView]:
    return created(notes.add_note(ports(), actor(), candidateId, body))


@router.delete("/api/candidates/<candidateId>/notes/<noteId>", **ROUTE)
def delete_note(candidateId: str, noteId: str) -> StatusView:
    notes.delete_note(ports(), actor(), candidateId, noteId)
    return StatusView(status="deleted")


@router.put("/api/candidates/<candidateId>/review", **ROUTE)
def put_review(candidateId: str, body: Annotated[ReviewInput, Body()]) -> ReviewView:
    return review.submit_review(ports(), actor(), candidateId, body)


@router.post("/api/candidates/<candidateId>/decision", **ROUTE)
def decide(candidateId: str, body: Annotated[DecisionInput, Body()]) -> DecisionView:
    return review.decide(ports(), actor(), candidateId, body)


@router.post("/api/candidates/<candidateId>/answers/<questionId>/retry", **ROUTE)
def retry_answer(candidateId: str, questionId: str) -> RetryView:
    """Process a failed answer again from its kept recording (409 unless its processing failed)."""
    return pipeline.retry_processing(ports(), actor(), candidateId, questionId)


@router.delete("/api/candidates/<candidateId>", **ROUTE)
def erase(candidateId: str) -> StatusView:
    privacy.erase_candidate(ports(), actor(), candidateId)
    return StatusView(status="erased")


# -- candidate experience: invitations after sending, timing, accommodations ----------
from ..service.views import (  # noqa: E402
    AccommodationDecision,
    CandidateSettings,
    CandidateSettingsView,
    DeadlineInput,
    InvitationStatusView,
    InvitationView,
    TimeMultiplierInput,
)


@router.get("/api/candidates/<candidateId>/invitation", **ROUTE)
def invitation_status(candidateId: str) -> InvitationStatusView:
    return invitations.invitation_status(ports(), actor(), candidateId)


@router.post("/api/candidates/<candidateId>/invitation/resend", **ROUTE)
def resend_invitation(candidateId: str) -> InvitationView:
    return invitations.resend_invitation(ports(), actor(), candidateId)


@router.post("/api/candidates/<candidateId>/invitation/remind", **ROUTE)
def remind_candidate(candidateId: str) -> InvitationStatusView:
    """A reminder email now (409 ``already_completed`` once submitted, 400 ``link_not_live`` when the link no longer works); the
    invitation's state, with the email, comes back."""
    invitations.remind(ports(), actor(), candidateId)
    return invitations.invitation_status(ports(), actor(), candidateId)


@router.post("/api/candidates/<candidateId>/invitation/revoke", **ROUTE)
def revoke_invitation(candidateId: str) -> InvitationStatusView:
    return invitations.revoke_invitation(ports(), actor(), candidateId)


@router.put("/api/candidates/<candidateId>/invitation/deadline", **ROUTE)
def extend_deadline(candidateId: str, body: Annotated[DeadlineInput, Body()]) -> InvitationStatusView:
    return invitations.extend_deadline(ports(), actor(), candidateId, body)


@router.put("/api/candidates/<candidateId>/invitation/time-multiplier", **ROUTE)
def set_time_multiplier(candidateId: str, body: Annotated[TimeMultiplierInput, Body()]) -> InvitationStatusView:
    return invitations.set_time_multiplier(ports(), actor(), candidateId, body.multiplier)


@router.post("/api/candidates/<candidateId>/accommodations/<requestId>", **ROUTE)
def decide_accommodation(candidateId: str, requestId: str, body: Annotated[AccommodationDecision, Body()]) -> InvitationStatusView:
    return invitations.decide_accommodation(ports(), actor(), candidateId, requestId, body)


@router.put("/api/interviews/<interviewId>/candidate-settings", **ROUTE)
def candidate_settings(interviewId: str, body: Annotated[CandidateSettings, Body()]) -> CandidateSettingsView:
    return invitations.set_candidate_settings(ports(), actor(), interviewId, body)


# -- the interview's self-apply link -----------------------------------------------
applying = lazy("oneway.service.applying")
from ..service.views import ApplyLinkInput, ApplyLinkView  # noqa: E402


@router.get("/api/interviews/<interviewId>/apply-link", **ROUTE)
def get_apply_link(interviewId: str) -> ApplyLinkView:
    return applying.get_apply_link(ports(), actor(), interviewId)


@router.put("/api/interviews/<interviewId>/apply-link", **ROUTE)
def set_apply_link(interviewId: str, body: Annotated[ApplyLinkInput, Body()]) -> ApplyLinkView:
    """Open the link (made the first time), close it, or set the cap on applicants."""
    return applying.set_apply_link(ports(), actor(), interviewId, body)


# -- privacy: access requests and the audit log (read-only: no route edits or deletes an entry) --
audit = lazy("oneway.service.audit")
from ..service.views import AnswerDownload, AuditList, CandidateExport  # noqa: E402


@router.get("/api/candidates/<candidateId>/export", **ROUTE)
def export_candidate(candidateId: str) -> CandidateExport:
    return privacy.export_candidate(ports(), actor(), candidateId)


@router.post("/api/candidates/<candidateId>/answers/<questionId>/download", **ROUTE)
def download_answer(candidateId: str, questionId: str) -> AnswerDownload:
    """One answer's video to save (admins and recruiters, not in blind review; audited): a short-lived URL."""
    return privacy.download_answer(ports(), actor(), candidateId, questionId)


AuditMonth = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
AuditActor = Annotated[str | None, Query(max_length=200, description="entries by this member (user id)")]
AuditAction = Annotated[
    str | None, Query(max_length=100, pattern=r"^[a-z_]+(\.[a-z_]+)*\.?$", description="an action, or a family: member")
]


@router.get("/api/audit", **ROUTE)
def audit_log(
    month: AuditMonth = None,
    limit: Limit = 100,
    actor: AuditActor = None,
    action: AuditAction = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> AuditList:
    return audit.list_month(ports(), current_actor(router.current_event), month, limit, by=actor, action=action, cursor=cursor)


@router.get(
    "/api/audit.csv",
    **ROUTE,
    responses={200: {"description": "A month of the audit log as CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def audit_csv(month: AuditMonth = None, actor: AuditActor = None, action: AuditAction = None) -> Response[str]:
    body = audit.export_csv(ports(), current_actor(router.current_event), month, by=actor, action=action)
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=body,
        headers={"Content-Disposition": f'attachment; filename="audit-{month or "current"}.csv"'},
    )


# -- question videos: recorded in the builder, processed by the answers' pipeline ----------
question_media = lazy("oneway.service.question_media")
from ..service.views import CompleteUpload, QuestionMediaTicket, QuestionMediaView, UploadRequest  # noqa: E402


@router.post("/api/interviews/<interviewId>/question-media", **ROUTE)
def begin_question_media(interviewId: str, body: Annotated[UploadRequest, Body()]) -> Response[QuestionMediaTicket]:
    return created(question_media.begin_upload(ports(), actor(), interviewId, body))


@router.post("/api/interviews/<interviewId>/question-media/<mediaId>/complete", **ROUTE)
def complete_question_media(interviewId: str, mediaId: str, body: Annotated[CompleteUpload, Body()]) -> QuestionMediaView:
    return question_media.complete_upload(ports(), actor(), interviewId, mediaId, body)


@router.get("/api/interviews/<interviewId>/question-media/<mediaId>", **ROUTE)
def get_question_media(interviewId: str, mediaId: str) -> QuestionMediaView:
    return question_media.get_media(ports(), actor(), interviewId, mediaId)


# -- follow-up questions' videos: recorded or uploaded for one candidate, processed by the same pipeline ----------
@router.post("/api/candidates/<candidateId>/follow-up-videos", **ROUTE)
def begin_follow_up_video(candidateId: str, body: Annotated[UploadRequest, Body()]) -> Response[QuestionMediaTicket]:
    """Upload a follow-up question's video: a key under the candidate's prefix, presigned part URLs."""
    return created(question_media.begin_follow_up_upload(ports(), actor(), candidateId, body))


@router.post("/api/candidates/<candidateId>/follow-up-videos/<mediaId>/complete", **ROUTE)
def complete_follow_up_video(candidateId: str, mediaId: str, body: Annotated[CompleteUpload, Body()]) -> QuestionMediaView:
    return question_media.complete_follow_up_upload(ports(), actor(), candidateId, mediaId, body)


@router.get("/api/candidates/<candidateId>/follow-up-videos/<mediaId>", **ROUTE)
def get_follow_up_video(candidateId: str, mediaId: str) -> QuestionMediaView:
    return question_media.get_follow_up_media(ports(), actor(), candidateId, mediaId)
