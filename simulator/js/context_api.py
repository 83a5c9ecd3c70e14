"""The whole documented ``botContext``: what the JavaScript fake reads and what its calls do.

``prelude.js`` implements every function of LivePerson's scripting functions pages (the
functions list, the pages behind it, the deprecated names and the older transfer names of the
bot-to-bot page). JavaScript cannot call Python here, so this module does the Python half:

* ``ContextApi.state`` adds to the state the engine fills in before each run what those
  functions read: the consumer (``simulator.consumer``: customer and personal info, engagement
  attributes, location, Web View variables, channel, sentiment), the status of the last API
  integration, the payload of a tapped quick reply, the bot's id.
* ``ContextApi.apply`` carries out the effects those functions record: custom and escalation
  events (transcript entries a step can assert), quick replies sent from code (a message with
  structured choices), identity changes, and the errors for functions the simulator does not
  model or that are not botContext functions at all.

``FUNCTIONS`` is the table the README's botContext section shows; a test checks that it,
``prelude.js`` and the README agree.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from simulator.consumer import ConsumerModel
from simulator.errors import UserError, did_you_mean
from simulator.tenant.schema import ENGAGEMENT_ATTRIBUTES, Bot, Channel
from simulator.transcript import EntryKind

if TYPE_CHECKING:
    from simulator.bots.runtime import BotSession
    from simulator.cloud.conversation import Conversation
    from simulator.cloud.core import CloudCore
    from simulator.context_store import ContextStore

MODELLED = "modelled"
NOT_MODELLED = "not modelled"

#: Every documented botContext function: (status, what the simulator does).
FUNCTIONS: dict[str, tuple[str, str]] = {
    "addQuickReplies": (
        MODELLED,
        "adds quick replies to the message the same code sent last (no such message: error)",
    ),
    "addQuickReples": (MODELLED, "deprecated spelling of addQuickReplies"),
    "askMaven": (NOT_MODELLED, "Conversation Orchestrator is not part of the fake cloud"),
    "deleteAllContextDataForConversation": (MODELLED, "Conversation Context Service (T8)"),
    "deleteAllContextDataForUser": (MODELLED, "Conversation Context Service (T8)"),
    "deleteContextDataForConversation": (MODELLED, "Conversation Context Service (T8)"),
    "deleteContextDataForUser": (MODELLED, "Conversation Context Service (T8)"),
    "deleteContextNamespace": (MODELLED, "Conversation Context Service (T8)"),
    "deleteGlobalContextData": (MODELLED, "Conversation Context Service (T8)"),
    "evaluateOptions": (
        MODELLED,
        'matches by whole text, label ("A", "A)"), text after the label or position; null if none',
    ),
    "getApiStatusCode": (
        MODELLED,
        "status of the conversation's last API integration call (stubs: 200)",
    ),
    "getBotVariable": (MODELLED, "bot variables (B3); objects keep their shape within a run"),
    "getButtonPayload": (MODELLED, "payload of the tapped choice, else the consumer's message"),
    "getChannel": (MODELLED, "deprecated; same as getUserChannel"),
    "getChatBotId": (MODELLED, "a stable id derived from the bot's name"),
    "getContextDataForConversation": (MODELLED, "one key, or the whole namespace with one arg"),
    "getContextDataForUser": (MODELLED, "one key, or the whole namespace with one arg"),
    "getConversationId": (MODELLED, "the simulator's conversation id (conv-0001, ...)"),
    "getCurrentUserMessage": (MODELLED, "the message the bot is handling"),
    "getDialogStarterIntent": (MODELLED, "the intent that started the dialog"),
    "getDisambiguatedIntentId": (NOT_MODELLED, "disambiguation interactions are not modelled"),
    "getDisambiguatedIntentName": (NOT_MODELLED, "disambiguation interactions are not modelled"),
    "getEmail": (MODELLED, "the consumer's email (preset or seeded)"),
    "getEnvVariable": (MODELLED, "the bot's environment variables"),
    "getFileCaption": (NOT_MODELLED, "file upload integrations are not modelled"),
    "getFileType": (NOT_MODELLED, "file upload integrations are not modelled"),
    "getGlobalContextData": (MODELLED, "Conversation Context Service (T8)"),
    "getHoursType": (MODELLED, "evaluated on the virtual clock in the given time zone"),
    "getLPAccountId": (MODELLED, '"sim-account"'),
    "getLPCustomerInfo": (
        MODELLED,
        "the Customer Info SDE preset (ctype, imei, ...); customerId defaults to the consumer id",
    ),
    "getLPEngagementAttribute": (
        MODELLED,
        "preset values, else currentSkillId/previousSkillId from routing, startTs, brandId",
    ),
    "getLPUserPersonalInfo": (MODELLED, "the Personal Info SDE preset; null unless set"),
    "getMetadata": (NOT_MODELLED, "consumer messages carry no conversation metadata"),
    "getNamedEntities": (NOT_MODELLED, "the simulator's NLU has intents only, no entities"),
    "getNlpResponse": (NOT_MODELLED, "the LivePerson (Legacy) NLU's parse is not modelled"),
    "getQuickReplyPayload": (MODELLED, "payload of the tapped quick reply, else the message"),
    "getSentiment": (MODELLED, "preset, else a fixed word list on the consumer's message"),
    "getUserChannel": (MODELLED, "preset user_channel, else lp_web"),
    "getUserLocation": (MODELLED, "the preset location object; null when none is preset"),
    "getUserName": (MODELLED, "the consumer's name (preset or seeded)"),
    "getUserPlatformId": (MODELLED, "the consumer's id"),
    "getUserPlatformType": (MODELLED, "HTMLCLIENT (web)"),
    "getWebViewVariable": (MODELLED, "preset Web View variables"),
    "getWebViewVariables": (MODELLED, "preset Web View variables"),
    "isApiExecutionSuccessful": (MODELLED, "whether the conversation's last API call worked"),
    "isContextApiEnabled": (MODELLED, "true (the simulator's Context Service is always on)"),
    "logCustomEvent": (MODELLED, "recorded in the transcript; assert with a step"),
    "logEscalationEvent": (MODELLED, "recorded in the transcript"),
    "printDebugMessage": (MODELLED, "a transcript line"),
    "registerContextNamespace": (MODELLED, "Conversation Context Service (T8)"),
    "sendImmediateReply": (MODELLED, "sent like sendMessage"),
    "sendMessage": (MODELLED, "a bot message"),
    "sendMessageWithQuickReplies": (
        MODELLED,
        "a bot message with quick reply choices (Title~payload)",
    ),
    "sendMessages": (MODELLED, "one bot message each"),
    "setAllowMaxTextResponse": (
        MODELLED,
        "recorded; the simulator never splits long texts, so it changes nothing",
    ),
    "setBotTransferDomainName": (MODELLED, "older name (seed 002): the domain for T7"),
    "setBotTransferIntentbyDomain": (MODELLED, "T7"),
    "setBotTransferIntentID": (MODELLED, "older name (seed 002) of setBotTransferIntentId"),
    "setBotTransferIntentId": (MODELLED, "T7"),
    "setBotTransferIntentName": (MODELLED, "older name (seed 002): the intent for T7"),
    "setBotTransferUserMessage": (MODELLED, "T7"),
    "setBotVariable": (MODELLED, "bot variables, stored as text (B3)"),
    "setContextDataForConversation": (MODELLED, "Conversation Context Service (T8)"),
    "setContextDataForUser": (MODELLED, "Conversation Context Service (T8)"),
    "setEmail": (MODELLED, "changes the consumer's email (kept for a returning consumer)"),
    "setGlobalContextData": (MODELLED, "Conversation Context Service (T8)"),
    "setMessageDelay": (MODELLED, "recorded in the transcript"),
    "setTriggerNextMessage": (MODELLED, "plays the named interaction next"),
    "setUserName": (MODELLED, "changes the consumer's name (kept for a returning consumer)"),
}

#: The functions that work (the rest fail with a "not modelled" error naming them).
IMPLEMENTED = tuple(sorted(n for n, (status, _) in FUNCTIONS.items() if status == MODELLED))

#: Quick reply limits the docs give for sendMessageWithQuickReplies.
MAX_QUICK_REPLIES = 10
MAX_QUICK_REPLY_TITLE = 20

#: What the platform reports for a user platform (the simulator's consumers are web clients).
PLATFORM_TYPE = "HTMLCLIENT"


_CALL = re.compile(r"\bbotContext\.(\w+)\s*\(")


def unsupported_calls(bot: Bot) -> list[str]:
    """What ``simulator check`` can say before a conversation runs (R3): each call in the
    bot's code to a function that is not modelled or not a documented botContext function,
    as "where: botContext.name() ...", in the bot's order."""
    pieces: list[tuple[str, str]] = []
    if bot.global_functions:
        pieces.append(("global functions", bot.global_functions))
    for dialog in bot.dialogs:
        for index, inter in enumerate(dialog.interactions):
            name = inter.name or f"#{index + 1}"
            for phase, code in (
                ("preProcessMessage", inter.pre_process),
                ("postProcessMessage", inter.post_process),
                ("processUserResponse", inter.process_user_response),
            ):
                if code:
                    pieces.append((f'dialog "{dialog.name}", interaction "{name}", {phase}', code))
    for integration in bot.integrations:
        transform = getattr(integration, "transform", None)
        if transform:
            pieces.append((f'integration "{integration.name}", transform script', transform))
    found: list[str] = []
    for where, code in pieces:
        for name in dict.fromkeys(_CALL.findall(code)):
            status = FUNCTIONS.get(name)
            if status is None:
                found.append(
                    f"{where}: botContext.{name}() is not a documented botContext function"
                    f" ({did_you_mean(name, FUNCTIONS)})"
                )
            elif status[0] == NOT_MODELLED:
                found.append(f"{where}: botContext.{name}() is not modelled: {status[1]}")
    return found


class JsUnsupportedError(UserError):
    """Bot code called a botContext function that the simulator does not implement."""


class CodeMessage(str):
    """A message bot code sent, with the quick replies it carries (title and payload).

    It is a ``str`` so everything that handles code messages as text keeps working; the
    runtime reads ``options`` (the titles) into the bot message's choices and the transcript
    entry of the code run holds ``quick_replies`` with their payloads.
    """

    quick_replies: tuple[dict[str, str], ...] = ()

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(r["title"] for r in self.quick_replies)

    def with_replies(self, replies: Sequence[dict[str, str]]) -> CodeMessage:
        out = CodeMessage(str(self))
        out.quick_replies = (*self.quick_replies, *replies)
        return out


@dataclass
class _Offered:
    """Quick replies a bot offered from code in a conversation, to answer getQuickReplyPayload."""

    replies: list[dict[str, str]] = field(default_factory=list)


class Runner(Protocol):
    """What this module needs from the engine's ``JsRunner`` (which imports this module)."""

    @property
    def cloud(self) -> CloudCore: ...

    @property
    def context_store(self) -> ContextStore | None: ...


class ContextApi:
    """The Python half of the documented botContext for one ``JsRunner``."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        #: The scenario's consumer preset; without one (a bare ``JsRunner``) nothing is preset.
        self.consumer: ConsumerModel | None = None
        self._offered: dict[tuple[str, str], _Offered] = {}

    # -- reads ------------------------------------------------------------------------------
    def state(self, conv: Conversation, session: BotSession, base: dict[str, Any]) -> None:
        """Add what the documented functions read to the state of one run."""
        consumer = self.consumer or ConsumerModel()
        base.update(consumer.js_state(conv, session))
        if conv.channel is Channel.CHAT:
            # Documented: on chat previousSkillId is the current skill id.
            base["previousSkillId"] = base.get("currentSkillId")
        opened = conv.transcript.entries[0].at if conv.transcript.entries else None
        base["startTs"] = str(round(opened.timestamp() * 1000)) if opened else None
        base["engagementNames"] = list(ENGAGEMENT_ATTRIBUTES)
        base["platformType"] = PLATFORM_TYPE
        base["botId"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"cb-simulator/bot/{session.bot.name}"))
        base["payload"] = self._payload(conv, session)
        base["apiStatus"] = self._api_status(conv, session)
        base["contextEnabled"] = self.runner.context_store is not None

    def _payload(self, conv: Conversation, session: BotSession) -> str | None:
        if session.button_payload is not None:  # the consumer tapped a choice (R1)
            return session.button_payload
        message = session.last_user_message
        offered = self._offered.get((conv.id, session.bot.name))
        if offered is not None:
            wanted = message.strip().lower()
            for reply in offered.replies:
                if reply["title"].strip().lower() == wanted:
                    return reply["payload"]
        return message or None

    def _api_status(self, conv: Conversation, session: BotSession) -> dict[str, Any]:
        """The conversation's most recent API integration call, read from its transcript.

        The cloud logs every answer of a stub ("integration "X" answered ..."); a failing stub
        logs its HTTP status just before (details ``status``). An answer without a status is a
        plain stub, which answers 200.
        """
        entries = conv.transcript.entries
        for index in range(len(entries) - 1, -1, -1):
            entry = entries[index]
            if not (entry.text.startswith('integration "') and " answered " in entry.text):
                continue
            status = entry.details.get("status")
            if status is None and index > 0:
                before = entries[index - 1]
                if before.kind is EntryKind.ERROR and "failed with HTTP status" in before.text:
                    status = before.details.get("status")
            code = int(status) if status is not None else 200
            return {"successful": 200 <= code < 300, "code": str(code)}
        return {"successful": False, "code": None}

    # -- effects ----------------------------------------------------------------------------
    def apply(
        self,
        conv: Conversation,
        session: BotSession,
        effect: dict[str, Any],
        why: str,
        messages: list[str],
    ) -> bool:
        """Carry out one recorded effect; False when it is not one of this module's."""
        op = effect["op"]
        bot = session.bot.name
        if op == "custom_event":
            detail = effect["detail"]
            self._log(
                conv,
                EntryKind.DIALOG,
                f'{bot} logged custom event "{effect["name"]}" (user message'
                f' "{effect["message"]}"' + (f', detail "{detail}")' if detail else ")"),
                bot=bot,
                custom_event=effect["name"],
                event_message=effect["message"],
                event_detail=detail,
            )
        elif op == "escalation_event":
            self._log(
                conv,
                EntryKind.DIALOG,
                f'{bot} logged escalation event "{effect["type"]}" (user message'
                f' "{effect["message"]}")',
                bot=bot,
                escalation_event=effect["type"],
            )
        elif op == "send_qr":
            message = CodeMessage(effect["text"]).with_replies(effect["replies"])
            self._offer(conv, session, message, why)
            messages.append(message)
        elif op == "add_qr":
            self._add_replies(conv, session, effect, why, messages)
        elif op == "identity":
            conv.consumer[effect["field"]] = effect["value"]
            self._log(
                conv,
                EntryKind.DIALOG,
                f'{bot} {why} set the consumer\'s {effect["field"]} to "{effect["value"]}"',
                bot=bot,
            )
        elif op == "max_text":
            self._log(
                conv,
                EntryKind.DIALOG,
                f"{bot} {why} called setAllowMaxTextResponse({str(effect['value']).lower()});"
                " the simulator never splits long texts",
                bot=bot,
            )
        elif op == "unknown_attribute":
            self._log(
                conv,
                EntryKind.WARNING,
                f'{bot}: {why} asked for engagement attribute "{effect["name"]}", which is not'
                f" documented ({did_you_mean(effect['name'], ENGAGEMENT_ATTRIBUTES)}); it is null",
                bot=bot,
            )
        elif op in ("not_modelled", "unsupported"):
            self._refuse(conv, session, effect, why)
        else:
            return False
        return True

    def _offer(
        self, conv: Conversation, session: BotSession, message: CodeMessage, why: str
    ) -> None:
        bot = session.bot.name
        replies = list(message.quick_replies)
        self._offered[(conv.id, bot)] = _Offered(replies)
        shown = ", ".join(f'"{r["title"]}" ({r["payload"]})' for r in replies)
        self._log(
            conv,
            EntryKind.DIALOG,
            f'{bot} {why} sent quick replies {shown} with "{message}"',
            bot=bot,
            quick_replies=[dict(r) for r in replies],
        )
        if len(replies) > MAX_QUICK_REPLIES:
            self._log(
                conv,
                EntryKind.WARNING,
                f"{bot}: {len(replies)} quick replies in one message; the platform allows"
                f" {MAX_QUICK_REPLIES}",
                bot=bot,
            )
        for reply in replies:
            if len(reply["title"]) > MAX_QUICK_REPLY_TITLE:
                self._log(
                    conv,
                    EntryKind.WARNING,
                    f'{bot}: quick reply title "{reply["title"]}" is longer than'
                    f" {MAX_QUICK_REPLY_TITLE} characters, the platform's limit",
                    bot=bot,
                )

    def _add_replies(
        self,
        conv: Conversation,
        session: BotSession,
        effect: dict[str, Any],
        why: str,
        messages: list[str],
    ) -> None:
        name = effect["name"]
        if not messages:
            self._refuse(
                conv,
                session,
                {
                    "op": "not_modelled",
                    "name": name,
                    "why": "the simulator adds code quick replies only to a message the same"
                    " code sent before the call (use sendMessageWithQuickReplies, or the"
                    " interaction's own quick replies)",
                },
                why,
            )
        last = messages[-1]
        message = (
            last.with_replies(effect["replies"])
            if isinstance(last, CodeMessage)
            else CodeMessage(last).with_replies(effect["replies"])
        )
        messages[-1] = message
        self._offer(conv, session, message, why)

    def _refuse(
        self, conv: Conversation, session: BotSession, effect: dict[str, Any], why: str
    ) -> None:
        bot = session.bot.name
        name = effect["name"]
        if effect["op"] == "not_modelled":
            reason = f"which the simulator does not model: {effect['why']}"
        else:
            reason = (
                f"which is not a documented botContext function ({did_you_mean(name, FUNCTIONS)})"
            )
        self._log(
            conv, EntryKind.ERROR, f"{bot}: {why} called botContext.{name}(), {reason}", bot=bot
        )
        raise JsUnsupportedError(
            f'bot "{bot}": {why} called botContext.{name}(), {reason}. The README\'s'
            ' "botContext functions" table lists what each function does in the simulator.'
        )

    def _log(self, conv: Conversation, kind: EntryKind, text: str, **details: Any) -> None:
        self.runner.cloud.log(conv, kind, text, **details)
