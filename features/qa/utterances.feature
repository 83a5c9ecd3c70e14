@qa
Feature: One scenario over a list of phrasings
  The phrasings come from a file (one per line) or from the feature itself. Each is said in a
  conversation of its own; "for each utterance," runs a check in every one of them and the
  failure, if any, lists every phrasing that failed.

  Background:
    Given the tenant "shop.yaml"

  @b6
  Scenario: Every greeting starts the welcome dialog
    Given the utterances in "fixtures/utterances/greetings.txt"
    When the consumer says each utterance to bot "Shop"
    Then for each utterance, dialog "Welcome" started
    And for each utterance, the bot replies "Welcome!"

  Scenario: Utterances written in the feature, sent where the current conversation is
    Given the utterances:
      """
      I want to order
      order something
      """
    When the consumer opens a conversation with bot "Shop" on "chat"
    And the consumer says each utterance
    Then for each utterance, the bot replies "Your order 4711 is ready."
    And for each utterance, the transcript contains "consumer: $utterance"
