Feature: Skill resolution, message to user, bot transfer context and separate contexts

  Background:
    Given a tenant defined as:
      """
      skills:
        - {id: 100, name: Front}
        - {id: 101, name: Savings}
        - {id: 200, name: Humans}
        - {id: 300, name: Mortgages}
      agents:
        - {id: 7, name: Alice, skills: [200]}
        - {id: 8, name: Dave, skills: [200], available: false}
        - {id: 9, name: Erin, skills: [300]}
      bots:
        - name: Front
          intents:
            - name: savings
              phrases: ["open a savings account"]
          dialogs:
            - name: By variable
              starter: {patterns: ["route me to *"]}
              interactions:
                - set: {target: "{$userMessage}"}
                  text: "Routing you."
                - question: "Which skill id?"
                  save_as: skillId
                - transfer: {skill_id: "{$botContext.skillId}", message_to_user: "Off you go to {$botContext.skillId}."}
                  delay_ms: 4000
            - name: Blank
              starter: {patterns: ["quiet transfer"]}
              interactions:
                - transfer: {skill_id: 101, message_to_user: BLANK_MESSAGE}
            - name: Announced
              starter: {patterns: ["announced transfer"]}
              interactions:
                - transfer: {skill_id: 101, message_to_user: "Passing you on."}
            - name: Context message
              starter: {patterns: ["savings please"]}
              interactions:
                - bot_transfer: {message: "hello savings"}
                  transfer: {skill_id: 101, transfer_bot_context: true, message_to_user: BLANK_MESSAGE}
            - name: Context intent
              starter: {patterns: ["intent please"]}
              interactions:
                - bot_transfer: {intent: savings}
                  transfer: {skill_id: 101, transfer_bot_context: true, message_to_user: BLANK_MESSAGE}
            - name: Context nothing
              starter: {patterns: ["nothing please"]}
              interactions:
                - bot_transfer: {message: "qwerty"}
                  transfer: {skill_id: 101, transfer_bot_context: true, message_to_user: BLANK_MESSAGE}
            - name: Dave
              starter: {patterns: ["dave please"]}
              interactions:
                - transfer: {skill_id: 200, agent_id: 8, message_to_user: BLANK_MESSAGE}
            - name: Alice
              starter: {patterns: ["alice please"]}
              interactions:
                - transfer: {skill_id: 200, agent_id: 7, message_to_user: BLANK_MESSAGE}
            - name: Erin wrong skill
              starter: {patterns: ["erin please"]}
              interactions:
                - transfer: {skill_id: 200, agent_id: 9, message_to_user: BLANK_MESSAGE}
            - name: Shared data
              starter: {patterns: ["share"]}
              interactions:
                - set: {plan: gold}
                  context:
                    - {op: register, namespace: bank}
                    - {op: set, namespace: bank, key: plan, value: "{$botContext.plan}"}
                  transfer: {skill_id: 101, message_to_user: BLANK_MESSAGE}
            - name: Fallback
              type: fallback
              interactions:
                - text: "Front fallback."
        - name: Savings
          intents:
            - name: savings
              phrases: ["open a savings account"]
          dialogs:
            - name: Greeting
              starter: {patterns: ["(hi|hello)*"]}
              interactions:
                - text: "Savings here, hello!"
            - name: Open
              starter: {intent: savings}
              interactions:
                - text: "Let's open an account."
            - name: Plan
              starter: {patterns: ["share"]}
              interactions:
                - context:
                    - {op: get, namespace: bank, key: plan, variable: plan}
                  text: "Your plan is {$botContext.plan}."
            - name: Fallback
              type: fallback
              interactions:
                - text: "Savings fallback."
      connectors:
        - {bot: Front, skills: [100]}
        - {bot: Savings, skills: [101], agent_id: 5001}
      """

  @t2
  Scenario: A skill id from a bot variable is resolved when the escalation runs
    When the consumer opens a conversation with bot "Front"
    And the consumer says "route me to savings"
    And the consumer says "101"
    Then the conversation is transferred to skill "101"
    And the consumer sees "Off you go to 101."

  @t2
  Scenario: A non-numeric skill id sends the fallback message and does not transfer
    When the consumer opens a conversation with bot "Front"
    And the consumer says "route me to savings"
    And the consumer says "savings"
    Then no transfer happens
    And the bot replies "Front fallback."
    And the transcript contains "which is not numeric (T2)"

  @t3 @t9
  Scenario: BLANK_MESSAGE sends nothing and the receiver starts from the consumer's last message
    When the consumer opens a conversation with bot "Front"
    And the consumer says "quiet transfer"
    Then the conversation is transferred to bot "Savings"
    And the consumer has seen exactly:
      """
      Savings: Savings fallback.
      """
    And the transcript contains "starts from the consumer's last message"

  @t9 @c1
  Scenario: With a message to user and no context the receiver is greeted with "hi" after 3 seconds
    When the consumer opens a conversation with bot "Front"
    And the consumer says "announced transfer"
    Then the consumer has seen exactly:
      """
      Front: Passing you on.
      Savings: Savings here, hello!
      """
    And the transcript contains "00:00:03.300  [platform] connector sent \"hi\" to Savings"
    And the bot received "hi" 1 time

  @t9 @c1
  Scenario: A consumer message within 3 seconds replaces the default greeting
    Given a tenant defined as:
      """
      skills: [{id: 1, name: A}, {id: 2, name: B}]
      bots:
        - name: A
          dialogs:
            - name: Go
              starter: {patterns: ["go"]}
              interactions:
                - transfer: {skill_id: 2, message_to_user: "Moving you."}
        - name: B
          dialogs:
            - name: Hi
              starter: {patterns: ["hi"]}
              interactions:
                - text: "B greets."
            - name: Fallback
              type: fallback
              interactions:
                - text: "B fallback."
      connectors:
        - {bot: A, skills: [1]}
        - {bot: B, skills: [2], settings: {disableGreetings: true}}
      """
    When the consumer opens a conversation with bot "A"
    And the consumer says "go"
    Then the conversation is transferred to bot "B"
    And the bot received "hi" 0 times
    When the consumer says "hello?"
    Then the bot replies "B fallback."

  @t9 @c1
  Scenario Outline: skipAgentMessage: the receiver matches the consumer's message although a bot spoke last
    Given a tenant defined as:
      """
      skills: [{id: 1, name: A}, {id: 2, name: B}]
      bots:
        - name: A
          dialogs:
            - name: Go
              starter: {patterns: ["go"]}
              interactions:
                - transfer: {skill_id: 2, message_to_user: "Moving you."}
        - name: B
          dialogs:
            - name: Hi
              starter: {patterns: ["hi"]}
              interactions:
                - text: "B greets."
            - name: Go
              starter: {patterns: ["go"]}
              interactions:
                - text: "B takes your go."
      connectors:
        - {bot: A, skills: [1]}
        - {bot: B, skills: [2], channel: <channel>, settings: {skipAgentMessage: true}}
      """
    When the consumer opens a conversation with bot "A"
    And the consumer says "go"
    And 5 seconds pass
    Then the conversation is transferred to bot "B"
    And the consumer has seen exactly:
      """
      A: Moving you.
      B: <reply>
      """

    Examples: on messaging the receiver matches "go"; on chat the setting has no effect and "hi" wakes it
      | channel   | reply            |
      | messaging | B takes your go. |
      | chat      | B greets.        |

  @t6
  Scenario: A transferred message is matched against the receiver's starters
    When the consumer opens a conversation with bot "Front"
    And the consumer says "savings please"
    Then bot "Savings" started dialog "Greeting"
    And the bot replies "Savings here, hello!"

  @t6 @t7
  Scenario: A transferred intent starts the dialog tied to it
    When the consumer opens a conversation with bot "Front"
    And the consumer says "intent please"
    Then bot "Savings" started dialog "Open"
    And the transcript contains "transferred intent \"savings\""

  @t6
  Scenario: Neither intent nor message matches: the receiver's fallback
    When the consumer opens a conversation with bot "Front"
    And the consumer says "nothing please"
    Then the bot replies "Savings fallback."

  @t5
  Scenario: A named agent who is not available does not get the conversation
    When the consumer opens a conversation with bot "Front"
    And the consumer says "dave please"
    Then the conversation is assigned to agent "Alice"
    And the transcript contains "agent \"Dave\" is not available; routing to the skill (T5)"

  @t5
  Scenario: A named agent who is available and on the skill gets the conversation
    When the consumer opens a conversation with bot "Front"
    And the consumer says "alice please"
    Then the conversation is assigned to agent "Alice"
    And the transcript contains "named in the escalation (T5)"

  @t5
  Scenario: A named agent who is not on the skill does not get the conversation
    When the consumer opens a conversation with bot "Front"
    And the consumer says "erin please"
    Then the conversation is assigned to agent "Alice"
    And the transcript contains "agent \"Erin\" is not assigned to skill"

  @t8
  Scenario: Bots share data through the Conversation Context Service
    When the consumer opens a conversation with bot "Front"
    And the consumer says "share"
    Then the context store has "plan" = "gold" in namespace "bank" for this conversation
    And bot "Savings" has no variable "target"
    When the consumer says "share"
    Then the bot replies "Your plan is gold."
