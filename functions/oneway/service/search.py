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
    from .views import CandidateList

MAX_QUERY_WORDS = 5
MAX_WORDS_PER_ANSWER = 2000
PER_WORD = 2000  # postings read per query word at most
RESULTS = 50
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


def search_candidates(p: Ports, actor: Actor, interview_id: str, query: str) -> CandidateList:
    # Imported here: the pipeline indexes transcripts with this module and needs none of the API's use cases.
    from . import interviews
    from .invitations import summary
    from .views import CandidateList

    actor.require(*interviews.MANAGERS)
    interviews.load(p, actor, interview_id)
    terms = sorted(words(query))[:MAX_QUERY_WORDS]
    if not terms:
        raise InvalidInput("search for at least one word of two letters or more", "empty_query")
    matches: set[str] | None = None
    for term in terms:
        found = {cid for cid, _ in p.store.find_postings(actor.org_id, interview_id, term, PER_WORD)}
        matches = found if matches is None else matches & found
        if not matches:
            break
    items = []
    for cid in sorted(matches or ())[:RESULTS]:
        c = p.store.get_candidate(actor.org_id, cid)
        if c is not None:
            items.append(summary(c, actor.blind))
    return CandidateList(items=items)
