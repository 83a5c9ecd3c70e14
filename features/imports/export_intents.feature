@imports
Feature: Intents for exported bots
  Exports carry no training phrases. An intents file (intent name -> phrases) gives an
  exported bot's intents their phrases, so intent-started dialogs and intent rules run through
  the deterministic NLU without pinned scores (tenant key: bots: [{export: ..., intents: ...}]).

  Scenario: An intent-only dialog starts from a phrasing the file does not list word for word
    Given the bot exported in "fixtures/exports/card-helper.json" with intents from "fixtures/exports/card-helper.intents.yaml"
    When the consumer opens a conversation with bot "Card Helper"
    And the consumer says "my card was stolen yesterday"
    Then dialog "Replacement card" started by intent "ask about replacement card" at level "VERY GOOD"
    And the bot replies "Shall I send a new card to your address on file?"
    When the consumer says "yes, send it please"
    Then the bot replies "A new card is on its way."
    And the bot logged the custom event "Replacement Card - Success"
    And the bot logged no custom event "Replacement Card - Failure"

  Scenario: The tenant file attaches the intents file
    Given a tenant defined as:
      """
      bots:
        - export: fixtures/exports/card-helper.json
          intents: fixtures/exports/card-helper.intents.yaml
      """
    When the consumer opens a conversation with bot "Card Helper"
    And the consumer says "when will my card arrive?"
    Then dialog "Card status" started by intent "card status" at level "VERY GOOD"
    And the bot replies "Your card ships in 3 days."

  Scenario: Without the intents file the same message falls back
    Given the bot exported in "fixtures/exports/card-helper.json"
    When the consumer opens a conversation with bot "Card Helper"
    And the consumer says "when will my card arrive?"
    Then dialog "Card status" did not start
    And the bot replies "Sorry, I did not get that. Ask me about a replacement card."
