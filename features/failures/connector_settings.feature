Feature: Agent connector settings and stuck conversations

  Background:
    Given a tenant defined as:
      """
      skills: [{id: 1, name: Bots}, {id: 2, name: People}]
      agents: [{id: 3, name: Pat, skills: [2]}]
      bots:
        - name: Echo
          dialogs:
            - name: Echo
              starter: {patterns: ["*"]}
              interactions:
                - text: "You said: {$userMessage}"
      connectors:
        - bot: Echo
          skills: [1]
          settings:
            fallbackEscalationTime: 600000
            retryMessageInterval: 60000
            messageResendMaxRetries: 1
            userRetryOnStuckConversation: true
            escalateOnStuckConversation: true
            escalationSkillIdOnStuckConversation: 2
      """

  @c1
  Scenario: Consumer messages within 300 ms reach the bot joined into one
    When the consumer opens a conversation with bot "Echo"
    And the consumer says "I lost" without waiting
    And the consumer says "my card" 100 ms later
    Then the bot replies "You said: I lost my card"
    And the transcript contains "2 consumer messages joined into one for Echo"

  @c1
  Scenario: Messages further apart than 300 ms reach the bot separately
    When the consumer opens a conversation with bot "Echo"
    And the consumer says "one"
    And the consumer says "two"
    Then the consumer has seen exactly:
      """
      Echo: You said: one
      Echo: You said: two
      """

  @s1 @c1
  Scenario: A bot that never answers is resent the message, then reset; escalated only when stuck again
    Given bot "Echo" stops answering
    When the consumer opens a conversation with bot "Echo"
    And the consumer says "hello?"
    And 59 seconds pass
    Then the transcript does not contain "resending"
    When 1 second passes
    Then the transcript contains "resending \"hello?\" (1 of 1)"
    When 60 seconds pass
    Then the transcript contains "conversation is stuck"
    And the consumer has seen exactly:
      """
      Echo: I'm sorry. Something went wrong, so let's start fresh. How can I help you today?
      """
    And no transfer happens
    And the transcript contains "Step 3 (escalation) runs only if the bot is stuck again"
    When the consumer says "still there?"
    And 119 seconds pass
    Then no transfer happens
    When 1 second passes
    Then the consumer has seen exactly:
      """
      Echo: I'm sorry. Something went wrong, so let's start fresh. How can I help you today?
      Echo: I'm having some trouble. Let me connect you with an agent.
      """
    And the conversation is assigned to agent "Pat"

  @s1
  Scenario: A bot that answers after the reset is no longer stuck
    Given bot "Echo" stops answering
    When the consumer opens a conversation with bot "Echo"
    And the consumer says "hello?"
    And 2 minutes pass
    Then the transcript contains "Echo's context was reset (Step 2)"
    When bot "Echo" answers again
    And the consumer says "one"
    Then the bot replies "You said: one"
    Given bot "Echo" stops answering
    When the consumer says "two"
    And 2 minutes pass
    Then no transfer happens
    And the consumer sees "I'm sorry. Something went wrong, so let's start fresh. How can I help you today?"

  @s1
  Scenario: Without Step 2 the escalation runs at the first stuck detection
    Given a tenant defined as:
      """
      skills: [{id: 1, name: Bots}, {id: 2, name: People}]
      agents: [{id: 3, name: Pat, skills: [2]}]
      bots:
        - name: Mute
          dialogs:
            - name: Any
              starter: {patterns: ["*"]}
              interactions:
                - text: BLANK_MESSAGE
      connectors:
        - bot: Mute
          skills: [1]
          settings: {escalateOnStuckConversation: true, escalationSkillIdOnStuckConversation: 2}
      """
    When the consumer opens a conversation with bot "Mute"
    And the consumer says "anyone there?"
    And 3 minutes pass
    Then the transcript contains "00:01:00.300  [routing] Mute did not answer within 60000 ms; resending \"anyone there?\" (1 of 1)"
    And at 00:02:00.300 the conversation is transferred to skill "2"
    And the consumer has seen exactly:
      """
      Mute: I'm having some trouble. Let me connect you with an agent.
      """
    And the transcript does not contain "context was reset"

  @s1
  Scenario: Without a stuck-conversation skill the escalation fails
    Given a tenant defined as:
      """
      skills: [{id: 1, name: Bots}]
      bots:
        - name: Mute
          dialogs:
            - name: Any
              starter: {patterns: ["*"]}
              interactions:
                - text: BLANK_MESSAGE
      connectors:
        - bot: Mute
          skills: [1]
          settings: {escalateOnStuckConversation: true, messageResendMaxRetries: 0}
      """
    When the consumer opens a conversation with bot "Mute"
    And the consumer says "anyone there?"
    And 2 minutes pass
    Then the transcript contains "escalation failed: the stuck-conversation escalation has no escalationSkillIdOnStuckConversation (S1) (F1)"
    And the bot received "__agent_escalation_failed__" 1 time
    And no transfer happens

  @c1
  Scenario: maxConsumerMessageDelay counts from the last consumer message the bot answered (the docs' example)
    When the consumer opens a conversation with bot "Echo"
    And the clock reaches 01:00:00
    And the consumer says "one"
    Then the bot replies "You said: one"
    When the clock reaches 01:20:00
    And the consumer says "two"
    Then the bot replies "You said: two"
    When the clock reaches 02:00:00
    And the consumer says "three"
    Then the bot does not reply
    And the transcript contains "Echo ignores \"three\": 00:40:00.000 since the last consumer message it answered, more than maxConsumerMessageDelay (30 minutes) (C1)"

  @c1
  Scenario Outline: maxConsumerMessageDelay is in minutes, and a gap of exactly the limit is still answered
    Given a tenant defined as:
      """
      bots:
        - name: Echo
          dialogs:
            - name: Echo
              starter: {patterns: ["*"]}
              interactions:
                - text: "You said: {$userMessage}"
      connectors:
        - {bot: Echo, settings: {maxConsumerMessageDelay: 10}}
      """
    When the consumer opens a conversation with bot "Echo"
    And the consumer says "first"
    And the clock reaches <time>
    And the consumer says "again"
    Then the bot <outcome>

    Examples:
      | time         | outcome                      |
      | 00:10:00.000 | replies "You said: again"    |
      | 00:10:00.001 | does not reply               |

  @c1 @t9
  Scenario: A joining bot answers an old consumer message: the limit is no age of one message
    Given a tenant defined as:
      """
      skills: [{id: 1, name: Front}, {id: 2, name: Late}]
      bots:
        - name: Front
          dialogs:
            - name: Go
              starter: {patterns: ["*"]}
              interactions:
                - transfer: {skill_id: 2, message_to_user: BLANK_MESSAGE}
        - name: Late
          dialogs:
            - name: Any
              starter: {patterns: ["*"]}
              interactions:
                - text: "Late bot got: {$userMessage}"
      connectors:
        - {bot: Front, skills: [1]}
        - {bot: Late, skills: [2], active: false, settings: {disableGreetings: true}}
      """
    When the consumer opens a conversation with bot "Front"
    And the consumer says "help me"
    Then the conversation waits in the queue of skill "2"
    When 31 minutes pass
    And the connector of bot "Late" becomes active
    Then the conversation is transferred to bot "Late"
    And the bot replies "Late bot got: help me"
    And the transcript does not contain "maxConsumerMessageDelay"

  @c1
  Scenario: On a chat connector messages are not joined and there is no maxConsumerMessageDelay
    Given a tenant defined as:
      """
      bots:
        - name: Echo
          dialogs:
            - name: Echo
              starter: {patterns: ["*"]}
              interactions:
                - text: "You said: {$userMessage}"
      connectors:
        - {bot: Echo, channel: chat, settings: {messageDelay: 300, maxConsumerMessageDelay: 5}}
      """
    Then the tenant has the warning "connector of bot \"Echo\": messageDelay applies to messaging only; this connector is chat"
    And the tenant has the warning "maxConsumerMessageDelay applies to messaging only"
    When the consumer opens a conversation with bot "Echo"
    And the consumer says "I lost" without waiting
    And the consumer says "my card" 100 ms later
    Then the consumer has seen exactly:
      """
      Echo: You said: I lost
      Echo: You said: my card
      """
    When 40 minutes pass
    And the consumer says "still here"
    Then the bot replies "You said: still here"

  @c1 @s1 @f4
  Scenario: On a chat connector a silent bot is not resent, not stuck and keeps the conversation
    Given bot "Echo" stops answering
    And the connector of bot "Echo" is on "chat"
    When the consumer opens a conversation with bot "Echo"
    And the consumer says "hello?"
    And 20 minutes pass
    Then the transcript does not contain "resending"
    And the transcript does not contain "stuck"
    And no transfer happens
    And the conversation is assigned to bot "Echo"
