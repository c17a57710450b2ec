"""Search an interview's candidates by words in their answers' transcripts, without scanning.

An inverted index per interview in the table: one item per (word, candidate, question),
partition ``ORG#o#INTERVIEW#i#WORD#w``. It is written when a transcript lands (the
pipeline's record step calls ``index_take``) and erased with the candidate
(``forget_candidate``). A query of up to five words reads one partition per word
(bounded by ``PER_WORD``) and intersects the candidate ids; it never touches
candidates who do not match. Name search needs no index: the board filters the
candidate list it already holds.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from ..domain.errors import InvalidInput
from ..domain.models import Actor, CandidateFile, Take
from ..ports import Ports

if TYPE_CHECKING:
    from .views import SearchMatch, SearchResults

MAX_QUERY_WORDS = 5
MAX_WORDS_PER_ANSWER = 2000
PER_WORD = 2000  # postings read per query word at most
RESULTS = 50
TIMED = 10  # results whose matching words get their time in the recording (one transcript read per answer)
SNIPPET_WORDS = 6  # words either side of a match in its snippet
STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "i", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the", "their", "them", "they", "this", "to", "was", "we", "were", "what", "when", "which", "who", "will", "with", "you", "your"]
)
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


def words(text: str) -> set[str]:
    """The index terms of a text: lower-case words without accents, stop words or short ones."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    out = set()
    for found in _WORD.findall(plain):
        w = found.strip("'-")
        if 2 <= len(w) <= 40 and w not in STOPWORDS:
            out.add(w)
            if len(out) >= MAX_WORDS_PER_ANSWER:
                break
    return out


def index_take(p: Ports, take: Take) -> int:
    """Index a take's transcript; repeat-safe (the same items are written again)."""
    if not take.transcript:
        return 0
    terms = words(take.transcript)
    p.store.put_postings(take.org_id, take.interview_id, take.candidate_id, take.question_id, terms)
    return len(terms)


def forget_candidate(p: Ports, file: CandidateFile) -> None:
    c = file.candidate
    for take in file.takes:
        if take.transcript:
            p.store.delete_postings(c.org_id, c.interview_id, c.candidate_id, take.question_id, words(take.transcript))


def search_candidates(p: Ports, actor: Actor, interview_id: str, query: str) -> SearchResults:
    # Imported here: the pipeline indexes transcripts with this module and needs none of the API's use cases.
    from . import interviews
    from .invitations import summary
    from .views import SearchHit, SearchResults

    actor.require(*interviews.MANAGERS)
    interviews.load(p, actor, interview_id)
    terms = sorted(words(query))[:MAX_QUERY_WORDS]
    if not terms:
        raise InvalidInput("search for at least one word of two letters or more", "empty_query")
    matches: dict[str, set[str]] | None = None  # candidate id -> the questions in whose answers a word was said
    for term in terms:
        found: dict[str, set[str]] = {}
        for cid, qid in p.store.find_postings(actor.org_id, interview_id, term, PER_WORD):
            found.setdefault(cid, set()).add(qid)
        if matches is None:
            matches = found
        else:
            matches = {cid: qids | found[cid] for cid, qids in matches.items() if cid in found}
        if not matches:
            break
    items = []
    for n, cid in enumerate(sorted(matches or {})[:RESULTS]):
        c = p.store.get_candidate(actor.org_id, cid)
        if c is None:
            continue
        said = _where_said(p, actor.org_id, cid, (matches or {})[cid], set(terms), timed=n < TIMED)
        items.append(SearchHit(**summary(c, actor.blind, actor.user_id).model_dump(), matches=said))
    return SearchResults(items=items)


def _where_said(p: Ports, org_id: str, candidate_id: str, question_ids: set[str], terms: set[str], *, timed: bool) -> list[SearchMatch]:
    """Each answer's first matching word: the words around it, and its second in the recording when the
    transcript's word times can be read (the first TIMED results only; the rest link to the answer)."""
    from ..domain.transcript import word_times
    from .views import SearchMatch

    file = p.store.get_candidate_file(org_id, candidate_id) if timed else None
    takes = {t.question_id: t for t in (file.takes if file else []) if t.question_id in question_ids and t.transcript}
    out = []
    for qid in sorted(question_ids):
        take = takes.get(qid)
        spoken: list[tuple[str, float | None]] = []
        if take and take.transcript_key:
            try:
                spoken = list(word_times(p.objects.read_media_json(take.transcript_key)))
            except Exception:  # a transcript that cannot be read still gives its text below
                spoken = []
        if not spoken and take and take.transcript:
            spoken = [(w, None) for w in take.transcript.split()]
        at = next((i for i, (w, _) in enumerate(spoken) if words(w) & terms), None)
        if at is None:
            out.append(SearchMatch(question_id=qid))
            continue
        snippet = " ".join(w for w, _ in spoken[max(0, at - SNIPPET_WORDS) : at + SNIPPET_WORDS + 1])
        out.append(SearchMatch(question_id=qid, word=spoken[at][0], seconds=spoken[at][1], snippet=snippet))
    return out
