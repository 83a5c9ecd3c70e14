"""One conversation as a chat on a vertical virtual-time axis, with its rich content.

The consumer's bubbles on the right, every bot and human agent on the left with its own
colour and label, platform messages as centred system bubbles, and transfers, routing and
queue waits as markers across the axis (R2: choices, cards and images are drawn as such).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape

from simulator.report.results import ConversationResult, EntryResult, format_ms
from simulator.rich import LINK, QUICK_REPLY, Card, Choice, Content

_PALETTE_SIZE = 8
#: A gap of at least this much virtual time between two entries is drawn on the axis.
_GAP_MS = 1000

_INTERNAL_KINDS = frozenset({"dialog", "variable", "context"})


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def participants(conversations: Iterable[ConversationResult]) -> dict[tuple[str, str], int]:
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
        f"{esc(entry.text)}{' · ' + esc(note) if note else ''}</div>"
    )
    return _row(entry.elapsed_ms, "row-event row-fault", body)


def _row(elapsed_ms: int, classes: str, body: str) -> str:
    return (
        f'<li class="{classes}"><time>{esc(format_ms(elapsed_ms))}</time>'
        f'<div class="body">{body}</div></li>'
    )


def _render_choices(choices: Sequence[Choice], css: str) -> str:
    items = []
    for c in choices:
        if c.type == LINK:
            items.append(
                f'<li class="link" data-type="link" title="{esc(c.url)}">{esc(c.title)} ↗</li>'
            )
            continue
        sends = f' <span class="sends">→ {esc(c.value)}</span>' if c.value != c.title else ""
        items.append(
            f'<li data-type="{esc(c.type)}" data-value="{esc(c.value)}">{esc(c.title)}{sends}</li>'
        )
    return f'<ul class="choices {css}">{"".join(items)}</ul>' if items else ""


def _render_card(card: Card) -> str:
    parts = ['<div class="card">']
    if card.title:
        parts.append(f'<span class="card-title">{esc(card.title)}</span>')
    if card.subtitle:
        parts.append(f'<span class="card-subtitle">{esc(card.subtitle)}</span>')
    parts += [f'<span class="card-text">{esc(t)}</span>' for t in card.texts]
    parts += [f'<span class="image">🖼 {esc(url)}</span>' for url in card.images]
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
        return f'<div class="rich" data-rich="sms"><pre class="sms">{esc(version)}</pre></div>'
    content = Content.from_json(raw)
    parts = [f'<div class="rich" data-rich="{esc(content.type)}">']
    if content.image:
        caption = f" {content.caption}" if content.caption else ""
        parts.append(f'<span class="image">🖼 {esc(content.image)}{esc(caption)}</span>')
    cards = "".join(_render_card(c) for c in content.cards)
    if content.type == "carousel":
        parts.append(f'<div class="carousel">{cards}</div>')
    else:
        parts.append(cards)
    css = (
        "quick-replies" if content.choices and content.choices[0].kind == QUICK_REPLY else "buttons"
    )
    parts.append(_render_choices(content.choices, css))
    parts += [f'<span class="note">{esc(e)}</span>' for e in content.errors]
    parts.append("</div>")
    return "".join(parts)


def _render_entry(entry: EntryResult, slots: Mapping[tuple[str, str], int]) -> str:
    note = entry.note
    note_html = (
        f'<span class="note">{"⚠ " if entry.is_late else ""}{esc(note)}</span>' if note else ""
    )
    late = " late alert-late" if entry.is_late else ""
    if entry.kind == "consumer":
        body = (
            f'<div class="bubble consumer{late}"><span class="who">consumer</span>'
            f'<span class="text">{esc(entry.text)}</span>{note_html}</div>'
        )
        return _row(entry.elapsed_ms, "row-msg row-consumer", body)
    if entry.kind in ("bot", "agent"):
        slot = slots.get((entry.kind, entry.actor), 0)
        body = (
            f'<div class="bubble {entry.kind} p{slot}{late}" data-participant="{esc(entry.actor)}">'
            f'<span class="who">{esc(entry.kind)} · {esc(entry.actor)}</span>'
            f'<span class="text">{esc(entry.text)}</span>{_render_rich(entry)}{note_html}</div>'
        )
        return _row(entry.elapsed_ms, f"row-msg row-{entry.kind}", body)
    if entry.kind == "platform":
        body = (
            f'<div class="bubble system"><span class="who">platform</span>'
            f'<span class="text">{esc(entry.text)}</span>{note_html}</div>'
        )
        return _row(entry.elapsed_ms, "row-msg row-system", body)
    if entry.is_alert:
        extra = " order-dependent" if entry.is_order_dependent else ""
        label = "order-dependent routing" if entry.is_order_dependent else entry.kind
        body = (
            f'<div class="alert {esc(entry.kind)}{extra}"><span class="kind">⚠ {esc(label)}</span> '
            f'<span class="text">{esc(entry.text)}</span>{note_html}</div>'
        )
        return _row(entry.elapsed_ms, f"row-alert row-{esc(entry.kind)}", body)
    if entry.kind == "fault":
        return _render_fault(entry, note)
    marker = _marker_class(entry)
    if marker is not None:
        icon = _MARKER_ICONS[marker]
        css = "transfer failed" if marker == "transfer-failed" else marker
        body = (
            f'<div class="marker {css}"><span class="label">{icon}{esc(entry.text)}'
            f"{' · ' + esc(note) if note else ''}</span></div>"
        )
        return _row(entry.elapsed_ms, f"row-marker row-{marker}", body)
    internal = " internal" if entry.kind in _INTERNAL_KINDS else ""
    body = (
        f'<div class="event {esc(entry.kind)}"><span class="kind">{esc(entry.kind)}</span>'
        f"{esc(entry.text)}{' · ' + esc(note) if note else ''}</div>"
    )
    return _row(entry.elapsed_ms, f"row-event{internal}", body)


def render_conversation(
    conv: ConversationResult, slots: Mapping[tuple[str, str], int], anchor: str
) -> str:
    seen: list[tuple[str, str]] = []
    for key in participants([conv]):
        seen.append(key)
    chips = ['<li class="chip consumer-chip">consumer</li>'] + [
        f'<li class="chip p{slots.get(key, 0)}">{esc(key[0])} · {esc(key[1])}</li>' for key in seen
    ]
    rows: list[str] = []
    previous: int | None = None
    for entry in conv.entries:
        if previous is not None and entry.elapsed_ms - previous >= _GAP_MS:
            gap = format_ms(entry.elapsed_ms - previous)
            rows.append(
                f'<li class="row-gap"><time></time><div class="body">⋮ {esc(gap)} later</div></li>'
            )
        previous = entry.elapsed_ms
        rows.append(_render_entry(entry, slots))
    if not rows:
        rows.append(
            '<li class="row-empty"><time></time><div class="body empty">no entries</div></li>'
        )
    return (
        f'<div class="chat" id="{anchor}" data-conversation="{esc(conv.id)}">'
        f'<h3>Conversation {esc(conv.id)} <span class="meta">· {esc(conv.channel)}</span></h3>'
        f'<ul class="legend">{"".join(chips)}</ul>'
        f'<ol class="timeline">{"".join(rows)}</ol></div>'
    )
