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
      Savings: Which kind of savings account would you like? [Regular | Gold]
      """

  @t1 @t5
  Scenario: A human agent of the skill takes the conversation
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "I want a human"
    Then the conversation is assigned to agent "Alice"
    When agent "Alice" says "Hi, Alice here."
    Then the consumer sees "Hi, Alice here."
