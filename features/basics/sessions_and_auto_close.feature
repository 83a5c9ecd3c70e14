Feature: Bot sessions expire after their session length; conversations auto-close only when asked
  A bot's session length (`session_length_minutes`, an export's `sessionLength`) ends its
  session after that much time without a consumer message to the bot: the next message starts
  a fresh one. Auto-closing idle messaging conversations is an account setting the platform
  documents no default for, so it is off unless the tenant opts in.

  Background:
    Given a tenant defined as:
      """
      bots:
        - name: Greeter
          session_length_minutes: 10
          dialogs:
            - name: Welcome
              starter: {patterns: ["(hi|hello)*"]}
              interactions:
                - question: "What is your name?"
                  save_as: name
                - text: "Nice to meet you {$botContext.name}."
            - name: Fallback
              type: fallback
              interactions:
                - text: "Sorry, I did not get that."
        - name: Forever
          dialogs:
            - name: Welcome
              starter: {patterns: ["(hi|hello)*"]}
              interactions:
                - question: "What is your name?"
                  save_as: name
                - text: "Nice to meet you {$botContext.name}."
      connectors:
        - {bot: Greeter}
        # A gap of days would otherwise exceed maxConsumerMessageDelay (30 minutes, C1).
        - {bot: Forever, settings: {maxConsumerMessageDelay: 10000}}
      """

  @b10
  Scenario: An expired session forgets the variables
    When the consumer opens a conversation with bot "Greeter"
    And the consumer says "hi"
    And the consumer says "Ann"
    Then bot "Greeter" has variable "name" set to "Ann"
    When 10 minutes pass
    And the consumer says "hello"
    Then the transcript contains "Greeter's session expired: no consumer message for"
    And the transcript contains "session length 10 minutes (B10); a fresh session starts"
    And bot "Greeter" has no variable "name"
    And the bot replies "What is your name?"

  @b10
  Scenario Outline: The pending question ends with the session; less than the session length keeps it
    When the consumer opens a conversation with bot "Greeter"
    And the consumer says "hi" without waiting
    And the clock reaches <time>
    And the consumer says "Ann"
    Then the bot replies "<reply>"

    Examples:
      | time         | reply                      |
      | 00:09:59.999 | Nice to meet you Ann.      |
      | 00:10:00.000 | Sorry, I did not get that. |

  @b10
  Scenario: Without a session length the session lasts as long as the conversation
    When the consumer opens a conversation with bot "Forever"
    And the consumer says "hi"
    And 3 days pass
    And the consumer says "Ann"
    Then the bot replies "Nice to meet you Ann."
    And the transcript does not contain "session expired"

  @b11
  Scenario: A messaging conversation closes after the opted-in idle time
    Given messaging conversations close after 60 minutes without a consumer message
    When the consumer opens a conversation with bot "Forever"
    And the consumer says "hi"
    And the clock reaches 00:59:59.999
    Then the conversation is open
    When the clock reaches 01:00:00
    Then the conversation is closed
    And the transcript contains "01:00:00.000  [conversation] closed: no consumer message for 60 minutes (auto_close_after_minutes, B11)"

  @b11
  Scenario: Each consumer message restarts the idle time; chat conversations never auto-close
    Given messaging conversations close after 60 minutes without a consumer message
    When the consumer opens a conversation with bot "Forever"
    And 50 minutes pass
    And the consumer says "hi"
    And 50 minutes pass
    Then the conversation is open
    When the consumer opens a conversation with bot "Forever" on "chat"
    And 5 hours pass
    Then the conversation is open

  @b11
  Scenario: Without the opt-in conversations stay open
    When the consumer opens a conversation with bot "Forever"
    And 30 days pass
    Then the conversation is open
