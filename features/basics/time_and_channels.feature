Feature: Virtual time and channels

  Background:
    Given the tenant "fixtures/bank.yaml"

  @b5
  Scenario: Waiting 90 days costs nothing and every entry is timestamped
    When the consumer opens a conversation with bot "Routing"
    And 90 days pass
    And the consumer says "hi"
    Then the clock shows 2160:00:02.300
    And the transcript contains "2160:00:01.300  Routing: Hello! I am the routing bot."

  @b5
  Scenario: datetime.now() in step code follows the virtual clock
    When the consumer opens a conversation with bot "Routing"
    And 3 minutes pass
    Then the clock's datetime now is "2026-01-05T09:03:00+00:00"

  @b4
  Scenario Outline: The rules are the same on chat and on messaging
    When the consumer opens a conversation with bot "Routing" on "<channel>"
    And the consumer says "hi"
    Then the bot replies "Hello! I am the routing bot."
    And the transcript contains "opened on <channel>"

    Examples:
      | channel   |
      | chat      |
      | messaging |

  @b9
  Scenario: The default user-friendly response replaces the give-up text of a failed escalation
    Given a tenant defined as:
      """
      skills: [{id: 100, name: Bots}, {id: 200, name: Humans}]
      agents: [{id: 1, name: Alice, skills: [200]}]
      bots:
        - name: Polite
          default_user_friendly_response: "We are having trouble right now. Please come back later."
          dialogs:
            - name: Human
              starter: {patterns: ["agent"]}
              interactions:
                - transfer: {skill_id: 200, message_to_user: BLANK_MESSAGE}
            - name: Failed
              starter: {patterns: ["__agent_escalation_failed__"]}
              interactions:
                - transfer: {skill_id: 200, message_to_user: BLANK_MESSAGE}
      connectors:
        - {bot: Polite, skills: [100]}
      """
    And every transfer to skill "200" fails
    When the consumer opens a conversation with bot "Polite"
    And the consumer says "agent"
    Then the bot received "__agent_escalation_failed__" 3 times
    And the consumer has seen exactly:
      """
      Polite: We are having trouble right now. Please come back later.
      """
