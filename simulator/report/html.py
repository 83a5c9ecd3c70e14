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

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from html import escape
from typing import Any

from simulator.coverage import CATEGORIES, LABELS, RULE_TITLES, Coverage, rule_ids_from_tags
from simulator.rich import LINK, QUICK_REPLY, Card, Choice, Content

#: Outcomes of a scenario, in the order the summary lists them.
OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
#: Statuses of a step.
STEP_STATUSES = ("passed", "failed", "not run")

_PALETTE_SIZE = 8
#: A gap of at least this much virtual time between two entries is drawn on the axis.
_GAP_MS = 1000

_INTERNAL_KINDS = frozenset({"dialog", "variable", "context"})
_ALERT_KINDS = frozenset({"warning", "error"})


def format_ms(elapsed_ms: int) -> str:
    """Virtual time since the scenario started, as HH:MM:SS.mmm (hours may exceed 24)."""
    sign = "-" if elapsed_ms < 0 else ""
    hours, rest = divmod(abs(elapsed_ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{sign}{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _json_safe(value: Any) -> Any:
    result: Any = json.loads(json.dumps(value, default=str, sort_keys=True))
    return result


# -- the model ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryResult:
    """One transcript entry (see ``simulator.transcript.Entry``), JSON-safe."""

    elapsed_ms: int
    kind: str
    actor: str
    text: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def note(self) -> str:
        note = self.details.get("note")
        return str(note) if note else ""

    @property
    def is_late(self) -> bool:
        return "late" in self.note.lower()

    @property
    def is_order_dependent(self) -> bool:
        return self.kind == "warning" and (
            "candidates" in self.details or "order-dependent" in self.text
        )

    @property
    def is_alert(self) -> bool:
        """A warning of the report. Faults the scenario injected on purpose are not."""
        return self.kind in _ALERT_KINDS or self.is_late

    @property
    def is_failed_transfer(self) -> bool:
        """A transfer entry that records an escalation that did not happen (F1, F3, T2, S1)."""
        text = self.text
        return self.kind == "transfer" and ("escalation failed" in text or ": no transfer" in text)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EntryResult:
        return cls(
            elapsed_ms=int(data["elapsed_ms"]),
            kind=str(data["kind"]),
            actor=str(data.get("actor", "")),
            text=str(data.get("text", "")),
            details=dict(data.get("details") or {}),
        )


@dataclass(frozen=True)
class ConversationResult:
    id: str
    channel: str
    entries: list[EntryResult] = field(default_factory=list)

    @classmethod
    def from_conversation(cls, conversation: Any) -> ConversationResult:
        """From a ``simulator.cloud.conversation.Conversation`` (duck-typed: ``id``,
        ``channel``, ``transcript.entries``)."""
        channel = getattr(conversation.channel, "value", conversation.channel)
        entries = [
            EntryResult(
                elapsed_ms=int(e.elapsed_ms),
                kind=str(getattr(e.kind, "value", e.kind)),
                actor=str(e.actor),
                text=str(e.text),
                details=_json_safe(dict(e.details)),
            )
            for e in conversation.transcript.entries
        ]
        return cls(id=str(conversation.id), channel=str(channel), entries=entries)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConversationResult:
        return cls(
            id=str(data["id"]),
            channel=str(data.get("channel", "")),
            entries=[EntryResult.from_dict(e) for e in data.get("entries", [])],
        )


@dataclass
class StepResult:
    keyword: str
    name: str
    line: int = 0
    status: str = "not run"  # one of STEP_STATUSES
    message: str = ""
    background: bool = False
    docstring: str | None = None
    datatable: list[list[str]] | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StepResult:
        table = data.get("datatable")
        return cls(
            keyword=str(data.get("keyword", "")),
            name=str(data.get("name", "")),
            line=int(data.get("line", 0)),
            status=str(data.get("status", "not run")),
            message=str(data.get("message", "")),
            background=bool(data.get("background", False)),
            docstring=None if data.get("docstring") is None else str(data["docstring"]),
            datatable=None if table is None else [[str(c) for c in row] for row in table],
        )


@dataclass
class ScenarioResult:
    feature: str
    name: str
    outcome: str = "passed"  # one of OUTCOMES
    nodeid: str = ""
    feature_file: str = ""
    line: int = 0
    tags: list[str] = field(default_factory=list)
    message: str = ""  # the failure (or skip) message, short
    longrepr: str = ""  # pytest's full failure report
    steps: list[StepResult] = field(default_factory=list)
    conversations: list[ConversationResult] = field(default_factory=list)
    seed: int | None = None
    example: dict[str, str] = field(default_factory=dict)

    @property
    def alerts(self) -> int:
        return sum(1 for c in self.conversations for e in c.entries if e.is_alert)

    def sort_key(self) -> tuple[str, int, str]:
        return (self.feature_file, self.line, self.nodeid)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, default=str)

    @classmethod
    def from_json(cls, text: str) -> ScenarioResult:
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScenarioResult:
        seed = data.get("seed")
        return cls(
            feature=str(data.get("feature", "")),
            name=str(data.get("name", "")),
            outcome=str(data.get("outcome", "passed")),
            nodeid=str(data.get("nodeid", "")),
            feature_file=str(data.get("feature_file", "")),
            line=int(data.get("line", 0)),
            tags=[str(t) for t in data.get("tags", [])],
            message=str(data.get("message", "")),
            longrepr=str(data.get("longrepr", "")),
            steps=[StepResult.from_dict(s) for s in data.get("steps", [])],
            conversations=[ConversationResult.from_dict(c) for c in data.get("conversations", [])],
            seed=None if seed is None else int(seed),
            example={str(k): str(v) for k, v in (data.get("example") or {}).items()},
        )


# -- rendering --------------------------------------------------------------------------------------

_CSS = """
:root{--bg:#f6f7f9;--fg:#1f2328;--muted:#6b7280;--line:#d0d7de;--axis:#94a3b8;
--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--skip:#6e7781;--skip-bg:#eaeef2;
--warn:#9a6700;--warn-bg:#fff8c5;--warn-line:#d4a72c}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
code,pre,time,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{white-space:pre-wrap;word-break:break-word;margin:0}
a{color:#0969da}
header.summary{background:#fff;border-bottom:1px solid var(--line);padding:16px 24px}
header.summary h1{font-size:20px;margin:0 0 8px}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 8px;padding:0;list-style:none}
.count{border-radius:12px;padding:2px 10px;background:var(--skip-bg)}
.count.passed,.badge.passed,.badge.xfailed{background:var(--pass-bg);color:var(--pass)}
.count.failed,.count.error,.badge.failed,.badge.error,.badge.xpassed{background:var(--fail-bg);color:var(--fail)}
.count.warnings{background:var(--warn-bg);color:var(--warn)}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;text-transform:uppercase;background:var(--skip-bg);color:var(--skip)}
table.index{border-collapse:collapse;width:100%;margin-top:8px}
table.index td,table.index th{border-top:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
table.index th{font-weight:600;color:var(--muted)}
.toggle{margin:12px 0 0 24px}
main{padding:0 24px 40px}
section.scenario{background:#fff;border:1px solid var(--line);border-left:6px solid var(--skip);border-radius:6px;margin:16px 0;padding:12px 16px}
section.scenario.passed,section.scenario.xfailed{border-left-color:var(--pass)}
section.scenario.failed,section.scenario.error,section.scenario.xpassed{border-left-color:var(--fail)}
section.scenario h2{font-size:17px;margin:0 0 4px}
.meta{color:var(--muted);margin:0 0 6px;overflow-wrap:anywhere}
.tag{display:inline-block;background:#ddf4ff;color:#0550ae;border-radius:10px;padding:0 8px;margin-right:4px;font-size:12px}
.failure{background:var(--fail-bg);border:1px solid #ffcecb;border-radius:6px;padding:8px 10px;margin:8px 0}
.failure .failure-message{color:var(--fail);font-weight:600}
.skip-reason{color:var(--muted)}
details summary{cursor:pointer;color:var(--muted)}
ol.steps{list-style:none;padding:0;margin:8px 0}
li.step{display:flex;gap:8px;align-items:baseline;padding:2px 0;flex-wrap:wrap}
li.step .status{flex:0 0 5.5em;font-size:11px;font-weight:600;text-transform:uppercase}
li.step.passed .status{color:var(--pass)}
li.step.failed{background:var(--fail-bg)}
li.step.failed .status{color:var(--fail)}
li.step.not-run{color:var(--muted)}
li.step .kw{font-weight:600}
li.step .where{color:var(--muted);font-size:12px}
li.step .step-arg,li.step .step-error{flex:1 1 100%;min-width:0;padding-left:6.2em}
li.step .step-error{color:var(--fail)}
table.datatable{border-collapse:collapse}
table.datatable td{border:1px solid var(--line);padding:1px 6px}
.chat{border:1px solid var(--line);border-radius:6px;margin:12px 0;background:#fcfcfd}
.chat h3{font-size:14px;margin:0;padding:6px 10px;border-bottom:1px solid var(--line);background:#f6f8fa}
.legend{display:flex;flex-wrap:wrap;gap:6px;padding:6px 10px;margin:0;list-style:none}
.chip{border-radius:10px;padding:0 8px;font-size:12px;border:1px solid var(--pc-line,var(--line));background:var(--pc-bg,#fff);color:var(--pc-fg,var(--fg))}
ol.timeline{list-style:none;margin:0;padding:4px 0 10px}
ol.timeline>li{display:grid;grid-template-columns:9.5em 1fr;align-items:start;min-height:22px}
ol.timeline>li>time{grid-column:1;text-align:right;padding:3px 12px 0 0;color:var(--muted);border-right:2px solid var(--axis);align-self:stretch;position:relative}
ol.timeline>li>time::after{content:"";position:absolute;right:-5px;top:8px;width:8px;height:8px;border-radius:50%;background:var(--axis)}
ol.timeline>li>.body{grid-column:2;padding:2px 12px;display:flex}
.bubble{max-width:72%;border-radius:12px;padding:5px 10px;margin:2px 0;border:1px solid var(--pc-line,var(--line));background:var(--pc-bg,#fff);color:var(--pc-fg,var(--fg))}
.bubble .who{display:block;font-size:11px;font-weight:600;opacity:.85}
.bubble .text{white-space:pre-wrap;word-break:break-word}
.bubble .note{display:block;font-size:11px;opacity:.8;font-style:italic}
.bubble.consumer{margin-left:auto;background:#334155;color:#fff;border-color:#334155;border-bottom-right-radius:3px}
.bubble.bot,.bubble.agent{border-bottom-left-radius:3px}
.bubble.agent{border-width:2px;border-style:double}
.bubble.system{margin:2px auto;background:#f1f5f9;border:1px dashed var(--axis);color:#334155;border-radius:6px;font-style:italic}
.bubble.late{outline:3px solid var(--warn-line);outline-offset:1px}
.rich{margin-top:4px}
.choices{list-style:none;margin:4px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px}
.choices li{font-size:12px;padding:2px 9px;border:1px solid #64748b;background:#fff;color:#1e293b}
.choices.quick-replies li{border-radius:12px}
.choices.buttons li{border-radius:4px;font-weight:600}
.choices li.link{text-decoration:underline}
.choices .sends{font-weight:400;opacity:.7}
.carousel{display:flex;gap:6px;overflow-x:auto;padding-bottom:3px}
.card{border:1px solid var(--line);border-radius:8px;padding:5px 8px;background:#f8fafc;min-width:150px}
.card .card-title{font-weight:600;display:block}
.card .card-subtitle,.card .card-text{display:block;font-size:12px}
.card .image{display:block;font-size:11px;word-break:break-all}
.sms{white-space:pre-wrap;font-family:inherit;margin:4px 0 0;border-left:3px solid #94a3b8;padding-left:6px}
.bubble.late .note{color:var(--warn);font-style:normal;font-weight:600;opacity:1}
.marker{flex:1;display:flex;align-items:center;gap:8px;color:#334155;font-size:12.5px}
.marker::before,.marker::after{content:"";flex:1;border-top:1px dashed var(--axis)}
.marker .label{max-width:80%;text-align:center}
.marker.transfer{color:#0550ae;font-weight:600}
.marker.transfer::before,.marker.transfer::after{border-top:2px solid #54aeff}
.marker.queue{color:#8250df;font-weight:600}
.marker.queue::before,.marker.queue::after{border-top:2px dotted #c297ff}
.marker.conversation{color:var(--muted)}
.event{font-size:12.5px;color:var(--muted);padding:1px 0}
.event .kind{font-size:10.5px;text-transform:uppercase;letter-spacing:.03em;margin-right:6px}
.alert{flex:1;background:var(--warn-bg);border:1px solid var(--warn-line);border-radius:6px;padding:3px 8px;color:var(--warn)}
.alert.error,.alert.fault{background:var(--fail-bg);border-color:#ff8182;color:var(--fail)}
.alert .kind{font-weight:700}
li.row-gap>.body{color:var(--muted);font-size:11.5px;font-style:italic}
li.row-gap>time{border-right-style:dotted}
li.row-gap>time::after{display:none}
#show-internal:not(:checked)~main .internal{display:none}
.empty{color:var(--muted);font-style:italic}
.p0{--pc-bg:#dbeafe;--pc-fg:#1e3a8a;--pc-line:#93c5fd}
.p1{--pc-bg:#dcfce7;--pc-fg:#14532d;--pc-line:#86efac}
.p2{--pc-bg:#fef3c7;--pc-fg:#78350f;--pc-line:#fcd34d}
.p3{--pc-bg:#f3e8ff;--pc-fg:#581c87;--pc-line:#d8b4fe}
.p4{--pc-bg:#ffe4e6;--pc-fg:#881337;--pc-line:#fda4af}
.p5{--pc-bg:#cffafe;--pc-fg:#164e63;--pc-line:#67e8f9}
.p6{--pc-bg:#ecfccb;--pc-fg:#365314;--pc-line:#bef264}
.p7{--pc-bg:#fae8ff;--pc-fg:#701a75;--pc-line:#f0abfc}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _participants(conversations: Iterable[ConversationResult]) -> dict[tuple[str, str], int]:
    """(role, name) -> palette slot, in order of first appearance across the scenario."""
    slots: dict[tuple[str, str], int] = {}
    for conv in conversations:
        for entry in conv.entries:
            keys: list[tuple[str, str]] = []
            if entry.kind in ("bot", "agent"):
                keys.append((entry.kind, entry.actor))
            elif entry.kind == "routing":
                for role in ("bot", "agent"):
                    name = entry.details.get(role)
                    if isinstance(name, str) and name:
                        keys.append((role, name))
            for key in keys:
                if key not in slots:
                    slots[key] = len(slots) % _PALETTE_SIZE
    return slots


def _marker_class(entry: EntryResult) -> str | None:
    """The marker kind of an entry drawn across the axis, or None if it is not a marker."""
    if entry.kind == "transfer":
        return "transfer-failed" if entry.is_failed_transfer else "transfer"
    if entry.kind == "conversation":
        return "conversation"
    if entry.kind == "routing":
        text = entry.text
        if "queue of skill" in text or text.startswith("left the queue"):
            return "queue"
        if text.startswith("assigned to"):
            return "routing"
    return None


_MARKER_ICONS = {
    "transfer": "⇄ ",
    "transfer-failed": "✕ ",
    "queue": "◷ ",
    "routing": "→ ",
    "conversation": "",
}


def _render_fault(entry: EntryResult, note: str) -> str:
    """A fault the scenario injected: drawn, but neither a warning nor an error."""
    body = (
        f'<div class="event fault injected"><span class="kind">⚡ injected fault</span>'
        f"{_e(entry.text)}{' · ' + _e(note) if note else ''}</div>"
    )
    return _row(entry.elapsed_ms, "row-event row-fault", body)


def _row(elapsed_ms: int, classes: str, body: str) -> str:
    return (
        f'<li class="{classes}"><time>{_e(format_ms(elapsed_ms))}</time>'
        f'<div class="body">{body}</div></li>'
    )


def _render_choices(choices: Sequence[Choice], css: str) -> str:
    items = []
    for c in choices:
        if c.type == LINK:
            items.append(
                f'<li class="link" data-type="link" title="{_e(c.url)}">{_e(c.title)} ↗</li>'
            )
            continue
        sends = f' <span class="sends">→ {_e(c.value)}</span>' if c.value != c.title else ""
        items.append(
            f'<li data-type="{_e(c.type)}" data-value="{_e(c.value)}">{_e(c.title)}{sends}</li>'
        )
    return f'<ul class="choices {css}">{"".join(items)}</ul>' if items else ""


def _render_card(card: Card) -> str:
    parts = ['<div class="card">']
    if card.title:
        parts.append(f'<span class="card-title">{_e(card.title)}</span>')
    if card.subtitle:
        parts.append(f'<span class="card-subtitle">{_e(card.subtitle)}</span>')
    parts += [f'<span class="card-text">{_e(t)}</span>' for t in card.texts]
    parts += [f'<span class="image">🖼 {_e(url)}</span>' for url in card.images]
    parts.append(_render_choices(card.buttons, "buttons"))
    parts.append("</div>")
    return "".join(parts)


def _render_rich(entry: EntryResult) -> str:
    """Chips for quick replies, buttons, cards and carousels (R2); on a text-only channel the
    text version the consumer received. Images show their URL: the report loads nothing."""
    raw = entry.details.get("content")
    if not isinstance(raw, dict):
        return ""
    version = entry.details.get("text_version")
    if isinstance(version, str):
        return f'<div class="rich" data-rich="sms"><pre class="sms">{_e(version)}</pre></div>'
    content = Content.from_json(raw)
    parts = [f'<div class="rich" data-rich="{_e(content.type)}">']
    if content.image:
        caption = f" {content.caption}" if content.caption else ""
        parts.append(f'<span class="image">🖼 {_e(content.image)}{_e(caption)}</span>')
    cards = "".join(_render_card(c) for c in content.cards)
    if content.type == "carousel":
        parts.append(f'<div class="carousel">{cards}</div>')
    else:
        parts.append(cards)
    css = (
        "quick-replies" if content.choices and content.choices[0].kind == QUICK_REPLY else "buttons"
    )
    parts.append(_render_choices(content.choices, css))
    parts += [f'<span class="note">{_e(e)}</span>' for e in content.errors]
    parts.append("</div>")
    return "".join(parts)


def _render_entry(entry: EntryResult, slots: Mapping[tuple[str, str], int]) -> str:
    note = entry.note
    note_html = (
        f'<span class="note">{"⚠ " if entry.is_late else ""}{_e(note)}</span>' if note else ""
    )
    late = " late alert-late" if entry.is_late else ""
    if entry.kind == "consumer":
        body = (
            f'<div class="bubble consumer{late}"><span class="who">consumer</span>'
            f'<span class="text">{_e(entry.text)}</span>{note_html}</div>'
        )
        return _row(entry.elapsed_ms, "row-msg row-consumer", body)
    if entry.kind in ("bot", "agent"):
        slot = slots.get((entry.kind, entry.actor), 0)
        body = (
            f'<div class="bubble {entry.kind} p{slot}{late}" data-participant="{_e(entry.actor)}">'
            f'<span class="who">{_e(entry.kind)} · {_e(entry.actor)}</span>'
            f'<span class="text">{_e(entry.text)}</span>{_render_rich(entry)}{note_html}</div>'
        )
        return _row(entry.elapsed_ms, f"row-msg row-{entry.kind}", body)
    if entry.kind == "platform":
        body = (
            f'<div class="bubble system"><span class="who">platform</span>'
            f'<span class="text">{_e(entry.text)}</span>{note_html}</div>'
        )
        return _row(entry.elapsed_ms, "row-msg row-system", body)
    if entry.is_alert:
        extra = " order-dependent" if entry.is_order_dependent else ""
        label = "order-dependent routing" if entry.is_order_dependent else entry.kind
        body = (
            f'<div class="alert {_e(entry.kind)}{extra}"><span class="kind">⚠ {_e(label)}</span> '
            f'<span class="text">{_e(entry.text)}</span>{note_html}</div>'
        )
        return _row(entry.elapsed_ms, f"row-alert row-{_e(entry.kind)}", body)
    if entry.kind == "fault":
        return _render_fault(entry, note)
    marker = _marker_class(entry)
    if marker is not None:
        icon = _MARKER_ICONS[marker]
        css = "transfer failed" if marker == "transfer-failed" else marker
        body = (
            f'<div class="marker {css}"><span class="label">{icon}{_e(entry.text)}'
            f"{' · ' + _e(note) if note else ''}</span></div>"
        )
        return _row(entry.elapsed_ms, f"row-marker row-{marker}", body)
    internal = " internal" if entry.kind in _INTERNAL_KINDS else ""
    body = (
        f'<div class="event {_e(entry.kind)}"><span class="kind">{_e(entry.kind)}</span>'
        f"{_e(entry.text)}{' · ' + _e(note) if note else ''}</div>"
    )
    return _row(entry.elapsed_ms, f"row-event{internal}", body)


def _render_conversation(
    conv: ConversationResult, slots: Mapping[tuple[str, str], int], anchor: str
) -> str:
    seen: list[tuple[str, str]] = []
    for key in _participants([conv]):
        seen.append(key)
    chips = ['<li class="chip consumer-chip">consumer</li>'] + [
        f'<li class="chip p{slots.get(key, 0)}">{_e(key[0])} · {_e(key[1])}</li>' for key in seen
    ]
    rows: list[str] = []
    previous: int | None = None
    for entry in conv.entries:
        if previous is not None and entry.elapsed_ms - previous >= _GAP_MS:
            gap = format_ms(entry.elapsed_ms - previous)
            rows.append(
                f'<li class="row-gap"><time></time><div class="body">⋮ {_e(gap)} later</div></li>'
            )
        previous = entry.elapsed_ms
        rows.append(_render_entry(entry, slots))
    if not rows:
        rows.append(
            '<li class="row-empty"><time></time><div class="body empty">no entries</div></li>'
        )
    return (
        f'<div class="chat" id="{anchor}" data-conversation="{_e(conv.id)}">'
        f'<h3>Conversation {_e(conv.id)} <span class="meta">· {_e(conv.channel)}</span></h3>'
        f'<ul class="legend">{"".join(chips)}</ul>'
        f'<ol class="timeline">{"".join(rows)}</ol></div>'
    )


def _render_step(step: StepResult) -> str:
    status = step.status if step.status in STEP_STATUSES else "not run"
    css = status.replace(" ", "-")
    parts = [
        f'<li class="step {css}"><span class="status">{_e(status)}</span>'
        f'<span class="kw">{_e(step.keyword)}</span> <span class="name">{_e(step.name)}</span>'
    ]
    where = f"line {step.line}" if step.line else ""
    if step.background:
        where = f"background, {where}" if where else "background"
    if where:
        parts.append(f' <span class="where">({_e(where)})</span>')
    if step.docstring is not None:
        parts.append(
            '<details class="step-arg"><summary>docstring</summary>'
            f"<pre>{_e(step.docstring)}</pre></details>"
        )
    if step.datatable:
        cells = "".join(
            "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in step.datatable
        )
        parts.append(f'<table class="step-arg datatable">{cells}</table>')
    if step.message:
        parts.append(f'<pre class="step-error">{_e(step.message)}</pre>')
    parts.append("</li>")
    return "".join(parts)


def _render_tag(tag: str) -> str:
    """A Gherkin tag; a platform rule id (``@f4``) links to the rule legend."""
    name = tag.lstrip("@")
    rules = rule_ids_from_tags([name])
    if rules:
        rule = next(iter(rules))
        title = RULE_TITLES[rule]
        return f'<a class="tag rule" href="#rule-{rule}" title="{rule} {_e(title)}">@{_e(name)}</a>'
    return f'<span class="tag">@{_e(name)}</span>'


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
        f'<h2><span class="badge {outcome}">{_e(outcome)}</span> '
        f'<span class="scenario-name">{_e(result.name)}</span></h2>',
        f'<p class="meta">Feature: <span class="feature-name">{_e(result.feature)}</span>'
        + (f" · <code>{_e(where)}</code>" if where else "")
        + (f" · seed <code>{_e(result.seed)}</code>" if result.seed is not None else "")
        + "</p>",
    ]
    if result.example:
        example = ", ".join(f"{k} = {v}" for k, v in result.example.items())
        out.append(f'<p class="meta example">Example: {_e(example)}</p>')
    if result.tags:
        out.append('<p class="tags">' + "".join(_render_tag(t) for t in result.tags) + "</p>")
    if result.nodeid:
        out.append(f'<p class="meta nodeid"><code>{_e(result.nodeid)}</code></p>')
    if outcome in ("failed", "error", "xpassed") and (result.message or result.longrepr):
        out.append('<div class="failure">')
        if result.message:
            out.append(f'<pre class="failure-message">{_e(result.message)}</pre>')
        if result.longrepr and result.longrepr.strip() != result.message.strip():
            out.append(
                "<details><summary>full pytest report</summary>"
                f'<pre class="longrepr">{_e(result.longrepr)}</pre></details>'
            )
        out.append("</div>")
    elif result.message:
        out.append(f'<p class="skip-reason">{_e(result.message)}</p>')
    if result.steps:
        steps = [_once(s, result.message) for s in result.steps]
        out.append('<ol class="steps">' + "".join(_render_step(s) for s in steps) + "</ol>")
    slots = _participants(result.conversations)
    if result.conversations:
        for conv in result.conversations:
            out.append(_render_conversation(conv, slots, f"{anchor}-{_e(conv.id)}"))
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
    seed_text = "" if seed is None else f"seed <code>{_e(seed)}</code>"
    if seeds and seeds != [seed]:
        seed_text += (
            (" · " if seed_text else "")
            + "scenario seeds "
            + ", ".join(f"<code>{_e(s)}</code>" for s in seeds)
        )
    rows = []
    for index, r in enumerate(results, 1):
        outcome = r.outcome if r.outcome in OUTCOMES else "error"
        warn = f"{r.alerts} ⚠" if r.alerts else ""
        rows.append(
            f'<tr class="row-{outcome}"><td><span class="badge {outcome}">{_e(outcome)}</span></td>'
            f"<td>{_e(r.feature)}</td>"
            f'<td><a href="#s{index}">{_e(r.name)}</a>'
            + (
                f' <span class="meta">({_e(", ".join(r.example.values()))})</span>'
                if r.example
                else ""
            )
            + f'</td><td class="warnings">{_e(warn)}</td></tr>'
        )
    table = (
        '<table class="index"><thead><tr><th>result</th><th>feature</th><th>scenario</th>'
        f"<th>warnings</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="empty">No scenario ran.</p>'
    )
    return (
        f'<header class="summary" id="summary"><h1>{_e(title)}</h1>'
        f'<ul class="counts">{"".join(items)}</ul>'
        + (f'<p class="seed">{seed_text}</p>' if seed_text else "")
        + table
        + "</header>"
    )


_EXTRA_CSS = """
.marker.transfer.failed{color:var(--fail)}
.marker.transfer.failed::before,.marker.transfer.failed::after{border-top:2px dashed #ff8182}
.event.fault.injected{color:#8250df}
.event.fault.injected .kind{font-weight:700}
a.tag.rule{text-decoration:none}
section.coverage,section.rules-legend{background:#fff;border:1px solid var(--line);border-radius:6px;margin:16px 0;padding:12px 16px}
section.coverage h2,section.rules-legend h2{font-size:17px;margin:0 0 8px}
table.coverage{border-collapse:collapse;width:100%;margin:4px 0 12px}
table.coverage td,table.coverage th{border-top:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
.cov-item{display:inline-block;border-radius:4px;padding:0 6px;margin:1px 3px 1px 0;font-size:12px}
.cov-item.covered{background:var(--pass-bg);color:var(--pass)}
.cov-item.uncovered{background:var(--fail-bg);color:var(--fail);font-weight:600}
.cov-figure.low{color:var(--fail);font-weight:600}
dl.rules{display:grid;grid-template-columns:4em 1fr;gap:2px 8px;margin:0}
dl.rules dt{font-weight:700}
dl.rules .untouched{color:var(--muted)}
"""


def _render_coverage(coverage: Coverage) -> str:
    """Per bot and category: covered/total and every item, the uncovered ones highlighted."""
    rows = []
    for name in sorted(coverage.bots):
        bot = coverage.bots[name]
        first = True
        for category in CATEGORIES:
            items = bot.items.get(category, set())
            if not items:
                continue
            hit = bot.hit.get(category, set()) & items
            low = " low" if len(hit) < len(items) else ""
            chips = "".join(
                f'<span class="cov-item {"covered" if k in hit else "uncovered"}">{_e(k)}</span>'
                for k in sorted(items, key=lambda k: (k in hit, k))
            )
            rows.append(
                f'<tr data-bot="{_e(name)}" data-category="{category}">'
                f"<td>{_e(name) if first else ''}</td><td>{_e(LABELS[category])}</td>"
                f'<td class="cov-figure{low}">{len(hit)}/{len(items)}</td><td>{chips}</td></tr>'
            )
            first = False
    covered, total = coverage.totals()
    rules = sorted(coverage.rules, key=lambda r: (list(RULE_TITLES).index(r), r))
    rule_links = " ".join(f'<a class="tag rule" href="#rule-{r}">{r}</a>' for r in rules)
    return (
        '<section class="coverage" id="coverage"><h2>Bot coverage: '
        f'<span class="cov-total">{coverage.percent():.1f}%</span> ({covered}/{total} items)</h2>'
        '<table class="coverage"><thead><tr><th>bot</th><th>what</th><th>covered</th>'
        f"<th>items (not exercised first)</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p class="cov-rules">Platform rules touched: {len(rules)}/{len(RULE_TITLES)} '
        f"{rule_links}</p></section>"
    )


def _render_rule_legend(touched: set[str] | None) -> str:
    rows = []
    for rule, title in RULE_TITLES.items():
        css = "" if touched is None or rule in touched else ' class="untouched"'
        rows.append(f'<dt id="rule-{rule}"{css}>{rule}</dt><dd{css}>{_e(title)}</dd>')
    return (
        '<section class="rules-legend" id="rules"><h2>Platform rules</h2>'
        f'<dl class="rules">{"".join(rows)}</dl></section>'
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
        body = _render_coverage(coverage) + "\n" + body
    body += "\n" + _render_rule_legend(coverage.rules if coverage is not None else None)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}{_EXTRA_CSS}</style></head>\n<body>\n"
        + _render_summary(ordered, seed, title)
        + '\n<input type="checkbox" id="show-internal" class="toggle" checked>'
        '<label for="show-internal"> show dialog, variable and context events</label>\n'
        f"<main>\n{body}\n</main>\n</body></html>\n"
    )
