@qa
Feature: Times with a tolerance and replies that may vary
  Exact times (`at 00:03:00`) break when a delay changes by a millisecond; a window states
  what the scenario really cares about. A bot that picks one of several texts is checked
  against all of them.

  Background:
    Given the tenant "shop.yaml"

  @f4
  Scenario: The escalation that gets no answer falls back after about three minutes
    Given the chat server drops the next escalation to skill "20"
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "agent please"
    And 4 minutes pass
    Then the bot replies "Sorry, nobody can take your call right now." between 00:03:00 and 00:03:02
    And bot "Shop" replies "Sorry, nobody can take your call right now." between 00:03:00 and 00:03:02

  Scenario: A reply arrives within a limit
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "hi"
    Then the bot replies "Welcome!" within 2 seconds
    And the consumer sees "How can I help?" between 00:00:02 and 00:00:03

  @t1
  Scenario: A transfer inside a time window
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "human"
    Then between 00:00:00 and 00:00:01 the conversation is transferred to skill "Humans"

  Scenario: One of several texts
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "what?"
    Then the bot replies one of "Pardon?", "Sorry, I did not get that." or "Say again?"
    And the bot replies one of:
      | Pardon?                    |
      | Sorry, I did not get that. |
