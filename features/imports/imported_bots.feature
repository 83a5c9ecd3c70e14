@imports
Feature: Bots imported from Conversation Builder exports
  The project's own exports (fixtures/exports) load as the tenant's bots and run through the
  same runtime as inline bots: patterns, questions, escalations, API integrations and their
  JavaScript.

  Scenario: An imported bot greets and asks its question
    Given the bot exported in "fixtures/exports/escalation-bot.json"
    When the consumer opens a conversation with bot "Escalator"
    And the consumer says "hello"
    Then the bot replies "Hello! I am the Escalator bot."
    And the bot replies "Do you want your orders or an agent?"
    And the bot offers quick replies "Orders", "Agent"
    And dialog "Welcome" started by pattern "hello"

  Scenario: A failed escalation reaches the dialog that catches __agent_escalation_failed__
    Given the bot exported in "fixtures/exports/escalation-bot.json"
    When the consumer opens a conversation with bot "Escalator"
    And the consumer says "agent"
    Then the consumer sees "Transferring you to billing."
    And the transcript contains "with bot context (intent='billing', message='The consumer asked about a bill')"
    And dialog "Escalation failed" started
    And the consumer sees "Sorry, no agent is available right now. Please try again later."

  Scenario: A stubbed API result feeds the transform script and custom data fields
    Given the bot exported in "fixtures/exports/escalation-bot.json"
    And the integration "getOrders" returns:
      """
      {"count": 2, "orders": [{"id": "A-17"}, {"id": "A-12"}]}
      """
    When the consumer opens a conversation with bot "Escalator"
    And the consumer says "my orders"
    Then the bot replies "You have 2 orders; the latest is A-17."
    And bot "Escalator" has variable "latestOrder" set to "A-17"

  Scenario: A failing API integration leaves its data empty
    Given the bot exported in "fixtures/exports/escalation-bot.json"
    And the integration "getOrders" fails with status 503
    When the consumer opens a conversation with bot "Escalator"
    And the consumer says "orders"
    Then the transcript contains "integration \"getOrders\" failed with HTTP status 503"
    And the transcript does not contain "transformResultsScript"

  Scenario: Bot JavaScript sends messages and sees the virtual clock
    Given the bot exported in "fixtures/exports/scripted-bot.json"
    When the consumer opens a conversation with bot "Scripted"
    And 2 minutes pass
    And the consumer says "messages"
    Then the bot replies exactly:
      """
      FIRST
      second
      third
      fourth
      Done talking.
      """
    And the transcript contains "Scripted debug: debug line from the bot"
    When the consumer says "time"
    Then the bot replies with a message matching "It is 2026-01-05T09:02:0*"

  Scenario: Bot JavaScript uses the Conversation Context Service
    Given the bot exported in "fixtures/exports/scripted-bot.json"
    When the consumer opens a conversation with bot "Scripted"
    And the consumer says "remember green"
    Then the bot replies "Remembered green / u-green / g-green."
    When the consumer says "forget"
    Then the bot replies "Forgotten: null."

  Scenario: A JavaScript error sends the bot's default error message
    Given the bot exported in "fixtures/exports/scripted-bot.json"
    When the consumer opens a conversation with bot "Scripted"
    And the consumer says "broken"
    Then the bot replies "Oops, my script failed."
    And the transcript contains "JavaScript error in preProcessMessage code of \"crash\""
