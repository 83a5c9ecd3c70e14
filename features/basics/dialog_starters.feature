Feature: Dialog starters, fallback and variables

  Background:
    Given the tenant "fixtures/bank.yaml"

  @b1 @b6
  Scenario: A pattern starts the greeting dialog
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "Hello there"
    Then the bot replies "Hello! I am the routing bot."
    And the bot replies "What is your name?"
    And dialog "Welcome" started by pattern "(hi|hello|hey)*"

  @b1 @b7
  Scenario: An intent starts a dialog when no pattern matches
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "savings account"
    Then dialog "Savings" started by intent "savings" at level "VERY GOOD"

  @b1
  Scenario: Patterns are matched before intents
    Given the NLU scores "hello" as intent "savings" at 0.95
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hello"
    Then dialog "Welcome" started by pattern "(hi|hello|hey)*"
    And dialog "Savings" did not start

  @b2
  Scenario: A message that starts no dialog goes to the fallback dialog
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "what is the weather like"
    Then the bot replies "Sorry, I did not get that."
    And dialog "Fallback" started

  @b3
  Scenario: An answer is stored in a bot variable and used in a message
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"
    And the consumer says "Ann"
    Then the bot replies "Nice to meet you Ann"
    And bot "Routing" has variable "name" set to "Ann"

  @b8
  Scenario: After the fallback the consumer returns to the open question
    When the consumer opens a conversation with bot "Savings"
    And the consumer says "open a savings account"
    Then the bot replies "Which kind of savings account would you like?"
    And the bot offers quick replies "Regular", "Gold"
    When the consumer says "xyzzy"
    Then the bot replies "The savings bot did not understand."
    When the consumer says "Gold"
    Then the bot replies "A Gold account, great choice."
