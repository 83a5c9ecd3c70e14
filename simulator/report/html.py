"""Render scenario results as one self-contained HTML page (inline CSS, no script, no network).

Pure: plain dataclasses in, a string out. The same results give the same bytes: nothing here
reads the wall clock, and every ordering is taken from the results themselves.

Each conversation is drawn as a chat on a vertical virtual-time axis: the consumer's bubbles on
the right, every bot and human agent on the left with its own colour and label, platform
messages (``__agent_escalation_failed__``, connector greetings) as centred system bubbles, and
transfers, routing and queue waits as markers across the axis. Late messages, order-dependent
routing and warning/error/fault entries are highlighted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from simulator.coverage import RULE_TITLES, Coverage, rule_ids_from_tags
from simulator.report.coverage_html import render_coverage, render_rule_legend
from simulator.report.results import (
    OUTCOMES,
    STEP_STATUSES,
    ConversationResult,
    EntryResult,
    ScenarioResult,
    StepResult,
    format_ms,
)
from simulator.report.styles import CSS, EXTRA_CSS
from simulator.report.transcript_html import esc, participants, render_conversation

__all__ = [
    "OUTCOMES",
    "STEP_STATUSES",
    "ConversationResult",
    "EntryResult",
    "ScenarioResult",
    "StepResult",
    "format_ms",
    "render_report",
]


def _render_step(step: StepResult) -> str:
    status = step.status if step.status in STEP_STATUSES else "not run"
    css = status.replace(" ", "-")
    parts = [
        f'<li class="step {css}"><span class="status">{esc(status)}</span>'
        f'<span class="kw">{esc(step.keyword)}</span> <span class="name">{esc(step.name)}</span>'
    ]
    where = f"line {step.line}" if step.line else ""
    if step.background:
        where = f"background, {where}" if where else "background"
    if where:
        parts.append(f' <span class="where">({esc(where)})</span>')
    if step.docstring is not None:
        parts.append(
            '<details class="step-arg"><summary>docstring</summary>'
            f"<pre>{esc(step.docstring)}</pre></details>"
        )
    if step.datatable:
        cells = "".join(
            "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in step.datatable
        )
        parts.append(f'<table class="step-arg datatable">{cells}</table>')
    if step.message:
        parts.append(f'<pre class="step-error">{esc(step.message)}</pre>')
    parts.append("</li>")
    return "".join(parts)


def _render_tag(tag: str) -> str:
    """A Gherkin tag; a platform rule id (``@f4``) links to the rule legend."""
    name = tag.lstrip("@")
    rules = rule_ids_from_tags([name])
    if rules:
        rule = next(iter(rules))
        title = RULE_TITLES[rule]
        return (
            f'<a class="tag rule" href="#rule-{rule}" title="{rule} {esc(title)}">@{esc(name)}</a>'
        )
    return f'<span class="tag">@{esc(name)}</span>'


def _once(step: StepResult, message: str) -> StepResult:
    """The failed step without its message when the scenario's failure box already shows it."""
    text = step.message.strip()
    if step.status == "failed" and text and message.strip() and text in message:
        return replace(step, message="")
    return step


def _render_scenario(result: ScenarioResult, index: int) -> str:
    outcome = result.outcome if result.outcome in OUTCOMES else "error"
    anchor = f"s{index}"
    where = result.feature_file + (f":{result.line}" if result.line else "")
    out = [
        f'<section class="scenario {outcome}" id="{anchor}" data-outcome="{outcome}">',
        f'<h2><span class="badge {outcome}">{esc(outcome)}</span> '
        f'<span class="scenario-name">{esc(result.name)}</span></h2>',
        f'<p class="meta">Feature: <span class="feature-name">{esc(result.feature)}</span>'
        + (f" · <code>{esc(where)}</code>" if where else "")
        + (f" · seed <code>{esc(result.seed)}</code>" if result.seed is not None else "")
        + "</p>",
    ]
    if result.example:
        example = ", ".join(f"{k} = {v}" for k, v in result.example.items())
        out.append(f'<p class="meta example">Example: {esc(example)}</p>')
    if result.tags:
        out.append('<p class="tags">' + "".join(_render_tag(t) for t in result.tags) + "</p>")
    if result.nodeid:
        out.append(f'<p class="meta nodeid"><code>{esc(result.nodeid)}</code></p>')
    if outcome in ("failed", "error", "xpassed") and (result.message or result.longrepr):
        out.append('<div class="failure">')
        if result.message:
            out.append(f'<pre class="failure-message">{esc(result.message)}</pre>')
        if result.longrepr and result.longrepr.strip() != result.message.strip():
            out.append(
                "<details><summary>full pytest report</summary>"
                f'<pre class="longrepr">{esc(result.longrepr)}</pre></details>'
            )
        out.append("</div>")
    elif result.message:
        out.append(f'<p class="skip-reason">{esc(result.message)}</p>')
    if result.steps:
        steps = [_once(s, result.message) for s in result.steps]
        out.append('<ol class="steps">' + "".join(_render_step(s) for s in steps) + "</ol>")
    slots = participants(result.conversations)
    if result.conversations:
        for conv in result.conversations:
            out.append(render_conversation(conv, slots, f"{anchor}-{esc(conv.id)}"))
    elif outcome not in ("skipped",):
        out.append('<p class="empty">No conversation was started.</p>')
    out.append("</section>")
    return "\n".join(out)


def _render_summary(results: Sequence[ScenarioResult], seed: int | None, title: str) -> str:
    counts = {o: sum(1 for r in results if r.outcome == o) for o in OUTCOMES}
    with_alerts = sum(1 for r in results if r.alerts)
    items = [
        f'<li class="count total">{len(results)} scenario{"s" if len(results) != 1 else ""}</li>'
    ]
    items += [f'<li class="count {o}">{counts[o]} {o}</li>' for o in OUTCOMES if counts[o]]
    if with_alerts:
        items.append(f'<li class="count warnings">{with_alerts} with warnings</li>')
    seeds = sorted({r.seed for r in results if r.seed is not None})
    seed_text = "" if seed is None else f"seed <code>{esc(seed)}</code>"
    if seeds and seeds != [seed]:
        seed_text += (
            (" · " if seed_text else "")
            + "scenario seeds "
            + ", ".join(f"<code>{esc(s)}</code>" for s in seeds)
        )
    rows = []
    for index, r in enumerate(results, 1):
        outcome = r.outcome if r.outcome in OUTCOMES else "error"
        warn = f"{r.alerts} ⚠" if r.alerts else ""
        rows.append(
            f'<tr class="row-{outcome}"><td><span class="badge {outcome}">{esc(outcome)}</span></td>'
            f"<td>{esc(r.feature)}</td>"
            f'<td><a href="#s{index}">{esc(r.name)}</a>'
            + (
                f' <span class="meta">({esc(", ".join(r.example.values()))})</span>'
                if r.example
                else ""
            )
            + f'</td><td class="warnings">{esc(warn)}</td></tr>'
        )
    table = (
        '<table class="index"><thead><tr><th>result</th><th>feature</th><th>scenario</th>'
        f"<th>warnings</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="empty">No scenario ran.</p>'
    )
    return (
        f'<header class="summary" id="summary"><h1>{esc(title)}</h1>'
        f'<ul class="counts">{"".join(items)}</ul>'
        + (f'<p class="seed">{seed_text}</p>' if seed_text else "")
        + table
        + "</header>"
    )


def render_report(
    results: Iterable[ScenarioResult],
    seed: int | None,
    *,
    title: str = "Conversation Builder simulator report",
    coverage: Coverage | None = None,
) -> str:
    """The whole report as one HTML document. Scenarios appear in the order given; with
    ``coverage``, the bot coverage section comes first; the rule legend comes last."""
    ordered = list(results)
    body = "\n".join(_render_scenario(r, i) for i, r in enumerate(ordered, 1))
    if coverage is not None:
        body = render_coverage(coverage) + "\n" + body
    body += "\n" + render_rule_legend(coverage.rules if coverage is not None else None)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}{EXTRA_CSS}</style></head>\n<body>\n"
        + _render_summary(ordered, seed, title)
        + '\n<input type="checkbox" id="show-internal" class="toggle" checked>'
        '<label for="show-internal"> show dialog, variable and context events</label>\n'
        f"<main>\n{body}\n</main>\n</body></html>\n"
    )
