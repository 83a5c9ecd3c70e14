"""Training phrases for an exported bot's intents, from a file next to the tenant (issue 13.6).

A Conversation Builder export names its intents (``associatedIntents``) and which dialog
starters and question rules use them, but carries no training phrases: those live in the
domain (Intent Manager), which is exported separately. Without phrases the simulator's
deterministic intent scorer has nothing to score, so intent-started dialogs could only run with
pinned scores. A tenant attaches phrases to an exported bot::

    bots:
      - export: exports/ReplacementCardHelper.json
        intents: exports/replacement-card.intents.yaml

The intents file is YAML (or JSON): a mapping of intent name to a list of training phrases::

    ask about replacement card:
      - I lost my card
      - my card was stolen, I need a new one

Every name must be an intent the export's dialogs use (a dialog starter or a question rule) or
lists (``associatedIntents``); another name is an error naming the file, its line and the
nearest valid names. The phrases replace whatever the export had (nothing, usually), and the
bot then matches intents through the same scorer as a bot written in a tenant file
(``simulator.nlu``), so scenarios need no pinned scores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from simulator.errors import FixtureError, did_you_mean
from simulator.tenant.files import read_text, sibling_names
from simulator.tenant.schema import Bot, Intent

#: The most phrases one intent may list (LivePerson's Intent Manager keeps far fewer).
MAX_PHRASES = 5000

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def referenced_intents(bot: Bot) -> list[str]:
    """Intents the bot's dialogs use (starters, question rules) and the ones it lists."""
    names: list[str] = [i.name for i in bot.intents]
    for dialog in bot.dialogs:
        if dialog.starter is not None and dialog.starter.intent:
            names.append(dialog.starter.intent)
        for interaction in dialog.interactions:
            names.extend(rule.intent for rule in interaction.rules if rule.intent)
    return list(dict.fromkeys(names))


def resolve(file: str, base: Path, *, tenant: str | None, line: int | None) -> Path:
    """The intents file a tenant names, relative to the tenant file's folder."""
    target = base / file
    if not target.is_file():
        problem = (
            "is a folder, not a file"
            if target.is_dir()
            else f"not found ({did_you_mean(target.name, sibling_names(target))})"
        )
        raise FixtureError(
            f'intents file "{file}" {problem}', file=tenant, line=line, field="bots.intents"
        )
    return target


def attach_intents(bot: Bot, path: Path) -> None:
    """Give ``bot`` the training phrases of the intents file at ``path``."""
    phrases = read_intents_file(path, referenced_intents(bot), bot.name)
    by_name = {i.name: i for i in bot.intents}
    for name, texts in phrases.items():
        intent = by_name.get(name)
        if intent is None:
            bot.intents.append(Intent(name=name, phrases=texts))
        else:
            intent.phrases = texts


def read_intents_file(path: Path, valid: list[str], bot: str) -> dict[str, list[str]]:
    """Parse and check an intents file: intent name -> training phrases, in file order."""
    file = str(path)
    text = read_text(path)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FixtureError(
            f"invalid YAML: {problem}", file=file, line=mark.line + 1 if mark else None
        ) from None
    if not isinstance(root, yaml.MappingNode):
        raise FixtureError(
            "an intents file is a mapping of intent name to a list of training phrases,"
            f' e.g. "{valid[0] if valid else "order status"}: [where is my order]"',
            file=file,
            line=root.start_mark.line + 1 if root is not None else None,
        )
    out: dict[str, list[str]] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(name, str) or not name.strip():
            raise FixtureError("an intent name is a text", file=file, line=line)
        if name not in valid:
            known = did_you_mean(name, valid) if valid else "the export uses no intents"
            raise FixtureError(
                f'intent "{name}" is not an intent of exported bot "{bot}": {known}',
                file=file,
                line=line,
                field=name,
            )
        if name in out:
            raise FixtureError(f'intent "{name}" appears twice', file=file, line=line)
        out[name] = _phrases(value_node, name, file)
    return out


def _phrases(node: yaml.Node, name: str, file: str) -> list[str]:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise FixtureError(
            f'intent "{name}": expected a list of training phrases', file=file, line=line
        )
    if len(node.value) > MAX_PHRASES:
        raise FixtureError(
            f'intent "{name}" lists {len(node.value)} phrases; at most {MAX_PHRASES}',
            file=file,
            line=line,
        )
    phrases: list[str] = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
            raise FixtureError(
                f'intent "{name}": a training phrase is a non-empty text',
                file=file,
                line=item.start_mark.line + 1,
            )
        phrases.append(str(item.value))
    return phrases
