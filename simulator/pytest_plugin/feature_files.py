"""How the plugin reads feature files and names their transcripts (issue 11).

Kept apart from ``plugin.py`` so the wrapping of pytest-bdd's parser is in one place:
importing this module installs it (``patch_feature_parser``), once per process.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from pytest_bdd.exceptions import GherkinParseError


def transcript_file_name(nodeid: str) -> str:
    """The ``--sim-transcripts`` file of one test: readable, unique and the same every run.

    A readable slug alone collides (``a b``, ``a_b`` and ``a/b`` all give ``a_b``, and case-
    insensitive file systems merge ``A`` with ``a``), so a short hash of the full test id
    follows it; the slug is cut to stay far below file-name length limits."""
    slug = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in nodeid)
    digest = hashlib.sha256(nodeid.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{slug[:100].strip('.')}-{digest}.txt"


def patch_feature_parser() -> None:
    """Fixes to how pytest-bdd reads feature files, installed once when the plugin loads
    (each only where this pytest-bdd version has the method it wraps).

    * A UTF-8 byte-order mark (Windows editors write one) is not Gherkin: the parser would
      reject the ``Feature:`` line after it. Files are read as ``utf-8-sig``, which is UTF-8
      that drops a leading mark.
    * pytest-bdd keys scenarios by name, so a second scenario with the same name in one file
      silently replaced the first. Every scenario runs instead: a repeated name gets its line
      number appended (``Refund (line 12)``), which makes its test id distinct and stable.
    * What Gherkin accepts but silently drops is a parse error (``check_feature_text``).
    """
    from pytest_bdd.parser import FeatureParser

    if getattr(FeatureParser, "_sim_patched", False):
        return
    read = getattr(FeatureParser, "_parse_feature_file", None)
    parse_scenario = getattr(FeatureParser, "parse_scenario", None)

    def parse_feature_file(self: Any) -> Any:
        if str(self.encoding).lower().replace("_", "-") in ("utf-8", "utf8"):
            self.encoding = "utf-8-sig"
        return read(self)  # type: ignore[misc]

    def parse_unique_scenario(self: Any, *args: Any, **kwargs: Any) -> Any:
        scenario = parse_scenario(self, *args, **kwargs)  # type: ignore[misc]
        seen: dict[str, int] = self.__dict__.setdefault("_sim_scenario_lines", {})
        base = scenario.name
        while scenario.name in seen:
            scenario.name = f"{base} (line {scenario.line_number})"
            base = scenario.name
        seen.setdefault(scenario.name, scenario.line_number)
        return scenario

    parse = FeatureParser.parse

    def parse_checked(self: Any) -> Any:
        feature = parse(self)
        check_feature_text(self.abs_filename, feature)
        return feature

    for name, wrapper in (
        ("_parse_feature_file", parse_feature_file),
        ("parse_scenario", parse_unique_scenario),
        ("parse", parse_checked),
    ):
        if callable(getattr(FeatureParser, name, None)):
            setattr(FeatureParser, name, wrapper)
    FeatureParser._sim_patched = True  # type: ignore[attr-defined]


#: Words that start a step in English Gherkin.
_STEP_WORDS = re.compile(r"^(?:Given|When|Then|And|But)\s")
#: An outline parameter as pytest-bdd replaces it: ``<name>`` (no spaces, no nesting).
_PLACEHOLDER = re.compile(r"<([A-Za-z_][\w\-]*)>")


def check_feature_text(filename: str, feature: Any) -> None:
    """What Gherkin accepts but silently drops, as a parse error naming the line.

    * A step written before the first ``Scenario:``/``Background:`` (or right under a
      ``Rule:``) is not a step for Gherkin but part of the free-text description: it would
      never run.
    * A lone ``@`` is a tag without a name; it cannot select anything (and pytest cannot
      turn it into a mark).
    """
    try:
        lines = Path(filename).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text.startswith("@") and "@" in text.split():
            raise GherkinParseError(
                "a tag without a name (a tag is @ followed by a name, like @smoke)",
                number,
                line,
                filename,
            )
    for template in feature.scenarios.values():
        if not getattr(template, "templated", False) or not all(
            hasattr(ex, "example_params") for ex in template.examples
        ):
            continue
        columns = {name for ex in template.examples for name in ex.example_params}
        for step_ in getattr(template, "_steps", []):
            texts = [step_.name, step_.docstring or ""]
            if step_.datatable is not None:
                texts += [c for row in step_.datatable.raw() for c in row]
            for placeholder in _PLACEHOLDER.findall("\n".join(texts)):
                if placeholder not in columns:
                    shown = ", ".join(sorted(columns)) or "none"
                    raise GherkinParseError(
                        f"the placeholder <{placeholder}> has no column in the Examples of"
                        f' Scenario Outline "{template.name}" (columns: {shown}); it would'
                        " stay as literal text",
                        step_.line_number,
                        lines[step_.line_number - 1] if step_.line_number <= len(lines) else "",
                        filename,
                    )
    if getattr(feature, "language", "en") not in ("en", None):
        return
    rules = {id(t.rule): t.rule for t in feature.scenarios.values() if t.rule is not None}
    texts = [("the Feature", feature.description)]
    texts += [(f'the Rule "{r.name}"', r.description) for r in rules.values()]
    for owner, description in texts:
        for piece in (description or "").splitlines():
            if not _STEP_WORDS.match(piece.strip() + " "):
                continue
            number = next(
                (i for i, line in enumerate(lines, start=1) if line.strip() == piece.strip()),
                0,
            )
            raise GherkinParseError(
                f"this step is part of the description of {owner} and would never run; steps"
                " belong under a Scenario: or Background: line",
                number,
                piece,
                filename,
            )


patch_feature_parser()
