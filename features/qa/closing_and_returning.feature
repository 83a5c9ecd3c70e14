@qa
Feature: Closing a conversation and coming back
  QA tests "Welcome back" paths: the consumer ends a conversation and the same consumer opens
  another one. The consumer's identity and the data the Conversation Context Service keeps for
  that consumer carry over; bot variables belong to one conversation and do not.

  Background:
    Given the tenant "shop.yaml"

  Scenario: The consumer closes the conversation
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "hi"
    And the consumer closes the conversation
    Then the conversation is closed
    And the transcript contains "closed: the consumer closed the conversation"

  @t8
  Scenario: A returning consumer is welcomed back by what the context store kept
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "hi"
    Then the bot replies "Welcome!"
    When the consumer says "I want to order"
    Then bot "Shop" has variable "last_order" set to "4711"
    When the consumer closes the conversation
    And the same consumer opens a new conversation with bot "Shop"
    And the consumer says "hello"
    Then the bot replies "Welcome back!"
    And the consumer is the same as in the previous conversation
    And the context store has "back" = " back" in namespace "visits" for this consumer
    And bot "Shop" has no variable "last_order"

  Scenario: Coming back while the first conversation is still open closes it
    When the consumer opens a conversation with bot "Shop" on "chat"
    And the consumer says "hi"
    And the same consumer opens a new conversation on skill "Shop"
    And the consumer says "hi"
    Then the bot replies "Welcome back!"
    And the transcript contains "opened on chat"
    And the consumer is the same as in the previous conversation
