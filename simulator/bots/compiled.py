"""A bot definition turned into what the runtime needs per message, once, at load time.

Patterns are compiled into one matcher per bot (B6) and training phrases into one intent model
(B7) so that handling a consumer message costs a few regex and dictionary look-ups. Every
reference inside the bot (a jump target, a starter intent, an integration) is checked here, so
a broken bot fails when the tenant loads, not halfway through a scenario.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from simulator.errors import FixtureError, PatternError, did_you_mean
from simulator.nlu import IntentModel
from simulator.pattern_index import StarterIndex
from simulator.patterns import PatternSet, PatternSyntaxError, compile_pattern, compile_regex
from simulator.tenant.schema import (
    BLANK_MESSAGE,
    LP_CLOSECONVERSATION,
    LP_CLOSEDIALOG,
    NEXT_KEYWORDS,
    ApiIntegration,
    Bot,
    BotType,
    Dialog,
    DialogType,
    EscalationIntegration,
    Interaction,
    Rule,
)


@dataclass
class CompiledRule:
    rule: Rule
    patterns: PatternSet | None = None
    regex: re.Pattern[str] | None = None
    exact: frozenset[str] = frozenset()
    exclude: re.Pattern[str] | None = None


#: How a text interaction plays (``CompiledInteraction.text_mode``).
SAY, BLANK, CLOSE_DIALOG, CLOSE_CONVERSATION = "say", "blank", "close_dialog", "close_conversation"
_TEXT_MODES = {
    BLANK_MESSAGE: BLANK,
    LP_CLOSEDIALOG: CLOSE_DIALOG,
    LP_CLOSECONVERSATION: CLOSE_CONVERSATION,
}


@dataclass
class CompiledInteraction:
    """An interaction and what the runtime asks about it on every visit, answered once.

    ``kind``, ``text_mode``, ``rich`` and ``extras`` are read from the definition at load time
    (the world never changes afterwards) because the definition's own answers are properties
    that loop over fields, and a turn visits at least one interaction per consumer message.
    """

    index: int
    name: str
    definition: Interaction
    rules: list[CompiledRule] = field(default_factory=list)
    #: ``definition.kind``: text, question, transfer, integration or unsupported.
    kind: str = field(init=False)
    #: For a text interaction: say it, or one of the keywords BLANK_MESSAGE, LP_CLOSEDIALOG,
    #: LP_CLOSECONVERSATION.
    text_mode: str = field(init=False)
    #: Whether it carries rich content (quick replies, buttons, cards, R2).
    rich: bool = field(init=False)
    #: Whether anything runs before it plays: notes, variables set, a transfer context
    #: override, context operations or pre/post-process code.
    extras: bool = field(init=False)

    def __post_init__(self) -> None:
        d = self.definition
        self.kind = d.kind
        self.text_mode = _TEXT_MODES.get(d.text.strip(), SAY) if d.text is not None else SAY
        self.rich = d.has_rich_content
        self.extras = bool(
            d.notes or d.set or d.bot_transfer is not None or d.context or d.pre_process
        ) or bool(d.post_process)


@dataclass
class CompiledDialog:
    name: str
    definition: Dialog
    interactions: list[CompiledInteraction]
    by_name: dict[str, int]
    exclude: re.Pattern[str] | None

    @property
    def is_fallback(self) -> bool:
        return self.definition.type is DialogType.FALLBACK

    def excludes(self, text: str) -> bool:
        return self.exclude is not None and self.exclude.search(text) is not None


@dataclass
class StarterPattern:
    dialog: CompiledDialog
    source: str
    #: Why the dialog starts when this pattern matches, as the transcript says it.
    reason: str = field(init=False)

    def __post_init__(self) -> None:
        self.reason = f'pattern "{self.source}"'


class CompiledBot:
    """Everything about one bot that does not change during a conversation."""

    def __init__(self, bot: Bot, *, file: str | None = None, line: int | None = None) -> None:
        self.definition = bot
        self.name = bot.name
        self.file = file
        self.line = line
        self.is_survey = bot.type is BotType.SURVEY
        self.dialogs: list[CompiledDialog] = []
        self.dialog_by_name: dict[str, CompiledDialog] = {}
        self.fallback: CompiledDialog | None = None
        self.integrations: dict[str, EscalationIntegration | ApiIntegration] = {
            i.name: i for i in bot.integrations
        }
        self.intent_names = [i.name for i in bot.intents]
        #: Where each intent is first listed: the tie-break of the top intent (B7).
        self.intent_position: dict[str, int] = {}
        for position, name in enumerate(self.intent_names):
            self.intent_position.setdefault(name, position)
        self.intent_by_id = {i.id: i.name for i in bot.intents if i.id}
        self.intent_by_domain = {(i.domain or "", i.name): i.name for i in bot.intents}
        self.intent_dialogs: dict[str, CompiledDialog] = {}
        starters: list[StarterPattern] = []
        for d_index, dialog in enumerate(bot.dialogs):
            compiled = self._compile_dialog(dialog, d_index)
            if compiled.name in self.dialog_by_name:
                raise self._error(
                    f'two dialogs are named "{compiled.name}"', f"dialogs[{d_index}].name"
                )
            self.dialogs.append(compiled)
            self.dialog_by_name[compiled.name] = compiled
            if compiled.is_fallback:
                if self.fallback is not None:
                    raise self._error(
                        f'only one fallback dialog is allowed ("{self.fallback.name}" and'
                        f' "{compiled.name}")',
                        f"dialogs[{d_index}].type",
                    )
                self.fallback = compiled
            starter = dialog.starter
            if starter is None:
                continue
            for p_index, source in enumerate(starter.patterns):
                self._check_pattern(source, f"dialogs[{d_index}].starter.patterns[{p_index}]")
                starters.append(StarterPattern(compiled, source))
            if starter.intent is not None:
                if starter.intent not in self.intent_names:
                    raise self._error(
                        f'unknown intent "{starter.intent}": '
                        + did_you_mean(starter.intent, self.intent_names),
                        f"dialogs[{d_index}].starter.intent",
                    )
                self.intent_dialogs.setdefault(starter.intent, compiled)
        self.starters = starters
        self.starter_set = StarterIndex([compile_pattern(s.source) for s in starters])
        self.intent_model = IntentModel(
            {i.name: i.phrases for i in bot.intents if i.name in self.intent_dialogs},
            bot.nlu_engine,
        )
        self.all_intents_model = IntentModel(
            {i.name: i.phrases for i in bot.intents}, bot.nlu_engine
        )

    # -- compile helpers -----------------------------------------------------------------
    def _error(self, message: str, field: str) -> FixtureError:
        return FixtureError(
            f'bot "{self.name}": {message}', file=self.file, line=self.line, field=field
        )

    def _check_pattern(self, source: str, field: str) -> None:
        try:
            compile_pattern(source)
        except PatternSyntaxError as exc:
            raise PatternError(
                f'bot "{self.name}": {exc}', file=self.file, line=self.line, field=field
            ) from None

    def _compile_dialog(self, dialog: Dialog, d_index: int) -> CompiledDialog:
        interactions: list[CompiledInteraction] = []
        by_name: dict[str, int] = {}
        for i_index, interaction in enumerate(dialog.interactions):
            name = interaction.name or f"{dialog.name} #{i_index + 1}"
            if name in by_name:
                raise self._error(
                    f'dialog "{dialog.name}" has two interactions named "{name}"',
                    f"dialogs[{d_index}].interactions[{i_index}].name",
                )
            by_name[name] = i_index
            rules = [
                self._compile_rule(rule, f"dialogs[{d_index}].interactions[{i_index}].rules[{r}]")
                for r, rule in enumerate(interaction.rules)
            ]
            interactions.append(CompiledInteraction(i_index, name, interaction, rules))
        exclude = None
        if dialog.starter and dialog.starter.exclude:
            words = "|".join(re.escape(w.strip()) for w in dialog.starter.exclude if w.strip())
            exclude = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE) if words else None
        compiled = CompiledDialog(dialog.name, dialog, interactions, by_name, exclude)
        return compiled

    def _compile_rule(self, rule: Rule, field: str) -> CompiledRule:
        compiled = CompiledRule(rule)
        if rule.pattern is not None:
            sources = [rule.pattern] if isinstance(rule.pattern, str) else rule.pattern
            for s in sources:
                self._check_pattern(s, field + ".pattern")
            compiled.patterns = PatternSet([compile_pattern(s) for s in sources])
        words = "|".join(re.escape(w.strip()) for w in rule.exclude if w.strip())
        if words:
            compiled.exclude = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)
        if rule.regex is not None:
            try:
                compiled.regex = compile_regex(rule.regex)
            except PatternSyntaxError as exc:
                raise PatternError(
                    f'bot "{self.name}": {exc}',
                    file=self.file,
                    line=self.line,
                    field=field + ".regex",
                ) from None
        if rule.exact is not None:
            values = [rule.exact] if isinstance(rule.exact, str) else rule.exact
            compiled.exact = frozenset(v.strip().lower() for v in values)
        return compiled

    def check_references(self) -> None:
        """Check jump targets, rule intents and integrations once all dialogs are known."""
        for d_index, dialog in enumerate(self.dialogs):
            for inter in dialog.interactions:
                where = f"dialogs[{d_index}].interactions[{inter.index}]"
                self._check_next(dialog, inter.definition.next, where + ".next")
                if inter.definition.on_failure is not None:
                    self._check_next(dialog, inter.definition.on_failure, where + ".on_failure")
                for r_index, rule in enumerate(inter.rules):
                    self._check_next(dialog, rule.rule.next, f"{where}.rules[{r_index}].next")
                    if rule.rule.intent is not None and rule.rule.intent not in self.intent_names:
                        raise self._error(
                            f'unknown intent "{rule.rule.intent}": '
                            + did_you_mean(rule.rule.intent, self.intent_names),
                            f"{where}.rules[{r_index}].intent",
                        )
                name = inter.definition.integration
                if name is not None and name not in self.integrations:
                    raise self._error(
                        f'unknown integration "{name}": ' + did_you_mean(name, self.integrations),
                        where + ".integration",
                    )
                transfer = inter.definition.transfer
                if transfer is not None and transfer.message_to_user is None:
                    raise self._error(
                        "an Agent Transfer needs message_to_user (T3); write BLANK_MESSAGE to"
                        " send nothing",
                        where + ".transfer.message_to_user",
                    )
        for i_index, integration in enumerate(self.definition.integrations):
            if (
                isinstance(integration, EscalationIntegration)
                and integration.message_to_user is None
            ):
                raise self._error(
                    f'integration "{integration.name}" needs message_to_user (T3); write'
                    " BLANK_MESSAGE to send nothing",
                    f"integrations[{i_index}].message_to_user",
                )

    def _check_next(self, dialog: CompiledDialog, target: str, field: str) -> None:
        if target in NEXT_KEYWORDS:
            return
        if target.startswith("dialog:"):
            name, interaction = self.split_jump(target)
            if name not in self.dialog_by_name:
                raise self._error(
                    f'jump to unknown dialog "{name}": ' + did_you_mean(name, self.dialog_by_name),
                    field,
                )
            other = self.dialog_by_name[name]
            if interaction and interaction not in other.by_name:
                raise self._error(
                    f'jump to unknown interaction "{interaction}" of dialog "{name}": '
                    + did_you_mean(interaction, other.by_name),
                    field,
                )
            return
        if target not in dialog.by_name:
            valid = [*NEXT_KEYWORDS, *dialog.by_name]
            raise self._error(
                f'dialog "{dialog.name}": next "{target}" is neither a keyword ({", ".join(NEXT_KEYWORDS)},'
                f" dialog:NAME, dialog:NAME#INTERACTION) nor an interaction of this dialog: {did_you_mean(target, valid)}",
                field,
            )

    # -- queries used by the runtime -----------------------------------------------------
    def match_pattern(self, text: str) -> StarterPattern | None:
        """First dialog-starter pattern that fits the message, honouring exclude keywords."""
        index = self.starter_set.first_match(text)
        if index is None:
            return None
        starter = self.starters[index]
        exclude = starter.dialog.exclude
        if exclude is None or exclude.search(text) is None:
            return starter
        # An excluded dialog must not hide a later dialog that also matches.
        for candidate in self.starters[index + 1 :]:
            if compile_pattern(candidate.source).matches(text) and not candidate.dialog.excludes(
                text
            ):
                return candidate
        return None

    def split_jump(self, target: str) -> tuple[str, str]:
        """``dialog:NAME`` or ``dialog:NAME#INTERACTION`` -> (dialog, interaction or "").

        A dialog whose own name contains "#" wins over the split, so such names still work.
        """
        rest = target.removeprefix("dialog:")
        if rest in self.dialog_by_name:
            return rest, ""
        name, _, interaction = rest.rpartition("#") if "#" in rest else (rest, "", "")
        return name, interaction

    def find_interaction(
        self, name: str, prefer: CompiledDialog | None = None
    ) -> tuple[CompiledDialog, int] | None:
        """An interaction by name: in ``prefer`` first, then in every dialog in order."""
        for dialog in ([prefer] if prefer else []) + self.dialogs:
            if name in dialog.by_name:
                return dialog, dialog.by_name[name]
        return None

    def resolve_intent(
        self, domain: str | None, intent: str | None, intent_id: str | None
    ) -> str | None:
        if intent_id is not None:
            return self.intent_by_id.get(intent_id) or (
                intent_id if intent_id in self.intent_names else None
            )
        if intent is None:
            return None
        if domain is not None and (domain, intent) in self.intent_by_domain:
            return self.intent_by_domain[(domain, intent)]
        return intent if intent in self.intent_names else None
