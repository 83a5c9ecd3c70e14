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
  Scenario: A bot that never answers is resent the message, then reset and escalated
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
      Echo: I'm having some trouble. Let me connect you with an agent.
      """
    And the conversation is assigned to agent "Pat"

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
  Scenario: A consumer message older than maxConsumerMessageDelay is ignored by a joining bot
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
    And the bot does not reply
    And the transcript contains "more than maxConsumerMessageDelay"
