"""The chat session's command help, shown by ``simulator chat --help`` and by ``/help``.

Its own module so that the parser (``simulator.cli``) and the chat loop (``simulator.cli.chat``)
share it without importing each other.
"""

CHAT_HELP = """\
Type what the consumer says. A bare number picks that choice of the bot's latest
message offering quick replies or buttons (listed as "choose by number"). Commands:
  /wait DURATION            let virtual time pass, e.g. /wait 3 minutes, /wait 2500 ms
  /fail SKILL [N]           the next N transfers to SKILL fail (default 1)
  /drop SKILL [N]           the chat server drops the next N escalations to SKILL
  /agent NAME available|away  change a human agent's availability
  /channel chat|messaging|sms  start a new conversation on that channel (sms: text only)
  /say TEXT                 send TEXT as typed (a bare number as text, not a choice)
  /vars                     variables of the bot holding the conversation
  /context                  contents of the Conversation Context Service
  /transcript               the full transcript of the conversation
  /save FILE.feature        save the session as a scenario: the steps and Then steps pinning
                            replies, choices, transfers, queue, holder and platform messages
                            (run it with: simulator run FILE); the folder must exist
  /save! FILE.feature       the same, replacing an existing file
  /help                     this help
  /quit                     end the session (Ctrl-D too)"""
