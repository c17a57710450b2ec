"""The mass-hiring model reads Oneway's policies from the code and never drops work."""

from __future__ import annotations

from dataclasses import replace

from bench.mass_hiring import Policy, Quotas, simulate, summary, time_to_ready


def policy() -> Policy:
    return Policy.from_code()


def test_the_policies_are_the_code_s_own():
    p = policy()
    assert p.backoff_ceilings == [0.5, 1.0, 2.0, 4.0, 8.0]  # web/src/shared/api.ts
    assert (p.upload_batch, p.upload_concurrency, p.media_event_concurrency) == (10, 5, 5)
    assert (p.reconcile_every, p.reconcile_after, p.reconcile_page) == (300, 600, 100)
    assert p.sdk_attempts == 4


def test_every_answer_is_ready_when_the_quotas_leave_room():
    takes, counts = simulate(Quotas(api_rate=100, api_burst=200), policy(), candidates=200)
    s = summary(takes, counts)
    assert (s["answers"], s["lost"], s["emails_given_up"]) == (600, 0, 0)
    assert all(t.ready is not None and t.ready >= t.submitted for t in takes)


def test_a_full_transcribe_defers_and_the_reconciler_starts_the_transcriptions_again():
    quotas = replace(Quotas(api_rate=100, api_burst=200), transcribe_concurrent=2)
    takes, counts = simulate(quotas, policy(), candidates=100)
    assert counts.transcribe_deferred > 0 and counts.transcribe_restarted > 0
    assert summary(takes, counts)["lost"] == 0


def test_the_slower_job_sets_the_time_to_ready():
    one = time_to_ready(60)
    assert one["total"] == one["start"] + max(one["mediaconvert"], one["transcribe"]) + one["back"]
