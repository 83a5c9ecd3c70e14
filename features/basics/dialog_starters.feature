Feature: Dialog starters, fallback and variables

  Background:
    Given the tenant "fixtures/bank.yaml"

  @b1 @b6
  Scenario: A pattern starts the greeting dialog
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "Hello there"
    Then the bot replies "Hello! I am the routing bot."
    And the bot replies "What is your name?"
    And dialog "Welcome" started by pattern "(hi|hello)*"

  @b3
  Scenario: An answer is stored in a bot variable and used in a message
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"
    And the consumer says "Ann"
    Then the bot replies "Nice to meet you Ann"
    And bot "Routing" has variable "name" set to "Ann"
