"""The bot coverage section and the platform rules legend of the report."""

from __future__ import annotations

from simulator.coverage import CATEGORIES, LABELS, RULE_TITLES, Coverage
from simulator.report.transcript_html import esc


def render_coverage(coverage: Coverage) -> str:
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
                f'<span class="cov-item {"covered" if k in hit else "uncovered"}">{esc(k)}</span>'
                for k in sorted(items, key=lambda k: (k in hit, k))
            )
            rows.append(
                f'<tr data-bot="{esc(name)}" data-category="{category}">'
                f"<td>{esc(name) if first else ''}</td><td>{esc(LABELS[category])}</td>"
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


def render_rule_legend(touched: set[str] | None) -> str:
    rows = []
    for rule, title in RULE_TITLES.items():
        css = "" if touched is None or rule in touched else ' class="untouched"'
        rows.append(f'<dt id="rule-{rule}"{css}>{rule}</dt><dd{css}>{esc(title)}</dd>')
    return (
        '<section class="rules-legend" id="rules"><h2>Platform rules</h2>'
        f'<dl class="rules">{"".join(rows)}</dl></section>'
    )
