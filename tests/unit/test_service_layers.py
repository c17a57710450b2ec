"""The use cases depend on each other in one direction: a stated order of layers, no import cycle.

Each module of ``oneway/service`` imports only modules of layers below its own (imports inside
functions count too). What one area must tell another after a change goes the other way as an
outbox message (service/outbox.py), carried out by the deliver function, never as an import
back up. docs/architecture.md shows the same order.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[2] / "functions" / "oneway" / "service"

# Lowest first. A new module takes its place here, above everything it imports.
LAYERS: list[set[str]] = [
    {"views", "stats", "agreement", "erasure", "limits", "access", "notice", "mail_layout"},  # building blocks: no use case imported
    {"audit", "outbox"},  # the audit log; side effects as outbox messages (written with their change)
    {"branding"},  # the organization's look: every page and email reads it
    {"emails"},  # every email's words: Oneway's catalogs or the organization's templates, in its look
    {"notifications", "identity", "webhooks", "question_media", "templates", "email_settings"},  # emails and reminders; members; webhooks; question videos; interview templates; email templates
    {"interviews"},
    {"follow_ups"},  # follow-up questions to one candidate: asked by members, answered through the candidate's link
    {"review", "question_bank", "delivery"},  # delivery: the deliver function's use cases (outbox messages)
    {"invitations", "analytics", "sharing", "notes"},  # notes: pinned to moments of answers, shown by review's rule
    {"search", "bulk", "applying"},  # bulk: one action on many candidates through the single use cases; applying: self-apply links make invitations
    {"pipeline", "privacy"},
    {"recording"},  # the candidate's side: it completes an interview and settles it in the pipeline
    {"ratelimit"},  # the candidate routes' door: token lookups, limited per address
]


def imports() -> dict[str, set[str]]:
    """Each service module and the service modules it imports, anywhere in its code."""
    modules = {p.stem for p in SERVICE.glob("*.py")} - {"__init__"}
    graph: dict[str, set[str]] = {}
    for name in sorted(modules):
        found: set[str] = set()
        for node in ast.walk(ast.parse((SERVICE / f"{name}.py").read_text())):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level == 1:  # from . import x / from .x import y
                    found |= {a.name for a in node.names if a.name in modules} if not module else {module.split(".")[0]}
                elif node.level == 0 and module.startswith("oneway.service"):
                    rest = module.removeprefix("oneway.service").lstrip(".")
                    found |= {rest.split(".")[0]} if rest else {a.name for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[2] for a in node.names if a.name.startswith("oneway.service.")}
        graph[name] = (found & modules) - {name}
    return graph


def test_no_import_cycle_among_use_cases():
    graph = imports()
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as err:
        raise AssertionError(f"service modules import each other in a cycle: {' -> '.join(err.args[1])}") from None
    assert set(order) == set(graph)


def test_every_use_case_has_its_layer_and_imports_only_below_it():
    graph = imports()
    layer = {name: i for i, names in enumerate(LAYERS) for name in names}
    assert sum(len(names) for names in LAYERS) == len(layer), "a module is listed in two layers"
    assert set(layer) == set(graph), f"place these in LAYERS: {sorted(set(graph) - set(layer))}; gone: {sorted(set(layer) - set(graph))}"
    upward = [f"{m} (layer {layer[m]}) imports {d} (layer {layer[d]})" for m, deps in graph.items() for d in sorted(deps) if layer[d] >= layer[m]]
    assert not upward, "imports that do not go down:\n" + "\n".join(upward)


def test_the_check_sees_imports_inside_functions_too():
    """search.py imports interviews and invitations inside a function: the graph has them."""
    assert {"interviews", "invitations"} <= imports()["search"]
