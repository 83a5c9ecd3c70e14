Feature: Failed escalations, retries, give-up and the 3-minute fallback

  Background:
    Given the tenant "fixtures/bank.yaml"

  @f1 @f2
  Scenario: A bot that catches the failure message tells the consumer
    Given the next transfer to skill "200" fails
    When the consumer opens a conversation with bot "Routing" on "chat"
    And the consumer says "agent"
    Then the bot received "__agent_escalation_failed__" 1 time
    And the bot replies "Sorry, we're unable to perform the transfer at this time."
    And dialog "Transfer failed" started by pattern "__agent_escalation_failed__"
    And the transcript contains "[platform] sent \"__agent_escalation_failed__\" to Routing"

  @f1 @f2
  Scenario: A bot without a catching dialog lands in its fallback
    Given a tenant defined as:
      """
      skills: [{id: 1, name: Bots}, {id: 2, name: People}]
      agents: [{id: 3, name: Pat, skills: [2]}]
      bots:
        - name: Plain
          dialogs:
            - name: Human
              starter: {patterns: ["agent"]}
              interactions:
                - transfer: {skill_id: 2, message_to_user: BLANK_MESSAGE}
            - name: Fallback
              type: fallback
              interactions:
                - text: "Plain fallback."
      connectors: [{bot: Plain, skills: [1]}]
      """
    And the next transfer to skill "2" fails
    When the consumer opens a conversation with bot "Plain" on "messaging"
    And the consumer says "agent"
    Then the bot received "__agent_escalation_failed__" 1 time
    And the bot replies "Plain fallback."

  @f3 @b9
  Scenario: After three failure messages the fourth failure gives up with the default text
    Given every transfer to skill "200" fails
    When the consumer opens a conversation with bot "Routing" on "chat"
    And the consumer says "agent"
    Then the bot received "__agent_escalation_failed__" 1 time
    When the consumer says "agent"
    And the consumer says "agent"
    Then the bot received "__agent_escalation_failed__" 3 times
    When the consumer says "agent"
    Then the bot replies "Not able to transfer to Agent at this time. Please try later."
    And the bot received "__agent_escalation_failed__" 3 times
    And the transcript contains "so the escalation stops (F3)"

  @f3
  Scenario: A successful transfer resets the failure count
    Given the next 2 transfers to skill "200" fail
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "agent"
    And the consumer says "agent"
    And the consumer says "agent"
    Then the conversation is assigned to agent "Alice"
    And the bot received "__agent_escalation_failed__" 2 times

  @f4 @c1
  Scenario: No response for 3 minutes moves the conversation to the connector's fallback skill
    Given the chat server drops the next escalation to skill "200"
    And agent "Carol" becomes available
    When the consumer opens a conversation with bot "Routing" on "chat"
    And the consumer says "agent"
    And the clock reaches 00:03:00.300
    Then no transfer happens
    When the clock reaches 00:03:00.301
    Then at 00:03:00.301 the conversation is transferred to skill "300"
    And the conversation is assigned to agent "Carol"

  @f4 @f1
  Scenario: No response for 3 minutes and no fallback skill: the escalation fails
    Given a tenant defined as:
      """
      skills: [{id: 1, name: Bots}, {id: 2, name: People}]
      agents: [{id: 3, name: Pat, skills: [2]}]
      bots:
        - name: Plain
          dialogs:
            - name: Human
              starter: {patterns: ["agent"]}
              interactions:
                - transfer: {skill_id: 2, message_to_user: BLANK_MESSAGE}
            - name: Fallback
              type: fallback
              interactions:
                - text: "Plain fallback."
      connectors: [{bot: Plain, skills: [1], settings: {fallbackEscalationTime: 60000}}]
      """
    And the chat server drops the next escalation to skill "2"
    When the consumer opens a conversation with bot "Plain" on "messaging"
    And the consumer says "agent"
    And 1 minute passes
    Then the bot received "__agent_escalation_failed__" 0 times
    When 1 ms passes
    Then the bot received "__agent_escalation_failed__" 1 time
    And the bot replies "Plain fallback."
    And the transcript contains "the connector has no fallback skill (F4)"

  @f4 @s1
  Scenario: A hung bot on messaging loses the conversation to the fallback skill; the resend does not restart the timer
    Given bot "Routing" stops answering
    And agent "Carol" becomes available
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hello"
    And the clock reaches 00:03:00.300
    Then no transfer happens
    And the transcript contains "00:01:00.300  [routing] Routing did not answer within 60000 ms; resending \"hello\" (1 of 1)"
    And the transcript contains "00:02:00.300  [routing] conversation is stuck: Routing never answered"
    When the clock reaches 00:03:00.301
    Then at 00:03:00.301 the conversation is transferred to skill "300"
    And the conversation is assigned to agent "Carol"
    And the transcript contains "Routing sent no response to the consumer for 180000 ms; trying the connector's fallback skill"

  @f4
  Scenario: Any bot response clears the no-response timer
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hello"
    Then the bot replies "What is your name?"
    When 10 minutes pass
    Then no transfer happens
    And the conversation is assigned to bot "Routing"

  @f4 @f1 @f3
  Scenario: A silent bot without a fallback skill: the timer fails an escalation
    Given a tenant defined as:
      """
      skills: [{id: 1, name: Bots}]
      bots:
        - name: Mute
          dialogs:
            - name: Failed
              starter: {patterns: ["__agent_escalation_failed__"]}
              interactions:
                - text: "Sorry, nobody is free."
            - name: Any
              starter: {patterns: ["*"]}
              interactions:
                - text: BLANK_MESSAGE
      connectors: [{bot: Mute, skills: [1], settings: {fallbackEscalationTime: 120000}}]
      """
    When the consumer opens a conversation with bot "Mute"
    And the consumer says "hello"
    And the clock reaches 00:02:00.300
    Then the bot received "__agent_escalation_failed__" 0 times
    When the clock reaches 00:02:00.301
    Then the bot received "__agent_escalation_failed__" 1 time
    And the bot replies "Sorry, nobody is free."
    And the transcript contains "Mute sent no response to the consumer for 120000 ms and the connector has no fallback skill (F4)"

  @f4 @c1
  Scenario: On a chat connector fallbackEscalationTime has no effect; a dropped escalation still times out after 3 minutes
    Given a tenant defined as:
      """
      skills: [{id: 1, name: Bots}, {id: 2, name: People}]
      agents: [{id: 3, name: Pat, skills: [2]}]
      bots:
        - name: Plain
          dialogs:
            - name: Human
              starter: {patterns: ["agent"]}
              interactions:
                - transfer: {skill_id: 2, message_to_user: BLANK_MESSAGE}
            - name: Fallback
              type: fallback
              interactions:
                - text: "Plain fallback."
      connectors: [{bot: Plain, skills: [1], channel: chat, settings: {fallbackEscalationTime: 60000}}]
      """
    And the chat server drops the next escalation to skill "2"
    Then the tenant has the warning "fallbackEscalationTime applies to messaging only; this connector is chat"
    When the consumer opens a conversation with bot "Plain" on "chat"
    And the consumer says "agent"
    And the clock reaches 00:03:00.000
    Then the bot received "__agent_escalation_failed__" 0 times
    When the clock reaches 00:03:00.001
    Then the bot received "__agent_escalation_failed__" 1 time
    And the transcript contains "no response to the escalation for 180000 ms and the connector has no fallback skill (F4)"

  @f5
  Scenario: A transfer to a skill nobody serves waits in its queue until an agent is available
    Given agent "Alice" goes away
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "agent"
    Then the conversation waits in the queue of skill "200"
    When 10 minutes pass
    And agent "Bob" becomes available
    Then the conversation is assigned to agent "Bob"
    And the transcript contains "left the queue after 00:10:00.000"

  @f5 @t1
  Scenario: A bot without an active connection never receives conversations
    Given the connector of bot "Savings" becomes inactive
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "open a savings account"
    Then the conversation waits in the queue of skill "101"
    When the connector of bot "Savings" becomes active
    Then the conversation is transferred to bot "Savings"
    And bot "Savings" started dialog "Open account"

  @f1 @b4
  Scenario Outline: A seeded chaos profile fails the same attempts every run on either channel
    Given a tenant defined as:
      """
      platform:
        chaos: {chat: 1.0, messaging: 0.0}
      skills: [{id: 1, name: Bots}, {id: 2, name: People}]
      agents: [{id: 3, name: Pat, skills: [2]}]
      bots:
        - name: Plain
          dialogs:
            - name: Human
              starter: {patterns: ["agent"]}
              interactions:
                - transfer: {skill_id: 2, message_to_user: BLANK_MESSAGE}
            - name: Fallback
              type: fallback
              interactions:
                - text: "Plain fallback."
      connectors: [{bot: Plain, skills: [1]}]
      """
    When the consumer opens a conversation with bot "Plain" on "<channel>"
    And the consumer says "agent"
    Then the bot received "__agent_escalation_failed__" <failures> time

    Examples:
      | channel   | failures |
      | chat      | 1        |
      | messaging | 0        |
