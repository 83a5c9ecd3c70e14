Feature: Manual transfers with the Agent Transfer interaction

  Background:
    Given the tenant "fixtures/bank.yaml"

  @t1 @t6
  Scenario: The routing bot hands a savings request to the savings bot with its intent
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "I want to open a savings account"
    Then the conversation is transferred to skill "101"
    And the conversation is transferred to bot "Savings"
    And bot "Savings" started dialog "Open account"
    And the consumer has seen exactly:
      """
      Routing: Let me get our savings specialist.
      Routing: Transferring you to Savings now.
      Savings: Which kind of savings account would you like?
      """
    And the bot offers quick replies "Regular", "Gold"

  @t1 @t5
  Scenario: A human agent of the skill takes the conversation
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "I want a human"
    Then the conversation is assigned to agent "Alice"
    When agent "Alice" says "Hi, Alice here."
    Then the consumer sees "Hi, Alice here."

  @t3
  Scenario: The message to user is the last message before the transfer
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "talk to an agent please"
    Then the consumer has seen exactly:
      """
      Routing: Hold on while I connect you with an agent.
      """
    And the transcript contains "[message to user]"

  @t8
  Scenario: The receiving bot does not see the sender's variables
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"
    And the consumer says "Ann"
    And the consumer says "open a savings account"
    Then the conversation is transferred to bot "Savings"
    And bot "Routing" has variable "name" set to "Ann"
    And bot "Savings" has no variable "name"
