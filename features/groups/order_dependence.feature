Feature: Order-dependent routing is detected and explored

  @g2 @g7 @b7 @all-orders
  Scenario: Two intents tied at the same level on a legacy engine are chosen at random and flagged
    Given a tenant defined as:
      """
      bots:
        - name: Bank
          nlu_engine: legacy
          intents:
            - {name: card_lost, phrases: ["lost card"]}
            - {name: card_stolen, phrases: ["stolen card"]}
          dialogs:
            - name: Lost
              starter: {intent: card_lost}
              interactions:
                - text: "Card lost flow."
            - name: Stolen
              starter: {intent: card_stolen}
              interactions:
                - text: "Card stolen flow."
      """
    And the NLU scores "my card is gone" as intent "card_lost" at 0.72
    And the NLU scores "my card is gone" as intent "card_stolen" at 0.80
    When the consumer opens a conversation with bot "Bank"
    And the consumer says "my card is gone"
    Then routing was order-dependent between "card_lost" and "card_stolen"
    And the bot replies with a message matching "Card (lost|stolen) flow."

  @b7 @g2
  Scenario Outline: The LivePerson engine returns its single top intent: no tie, no random choice
    Given a tenant defined as:
      """
      bots:
        - name: Bank
          intents:
            - {name: card_stolen, phrases: ["stolen card"]}
            - {name: card_lost, phrases: ["lost card"]}
          dialogs:
            - name: Lost
              starter: {intent: card_lost}
              interactions:
                - text: "Card lost flow."
            - name: Stolen
              starter: {intent: card_stolen}
              interactions:
                - text: "Card stolen flow."
      """
    And the NLU scores "my card is gone" as intent "card_lost" at <lost>
    And the NLU scores "my card is gone" as intent "card_stolen" at <stolen>
    When the consumer opens a conversation with bot "Bank"
    And the consumer says "my card is gone"
    Then routing was not order-dependent
    And the bot replies "<reply>"

    # An exact tie goes to the intent listed first in the bot (card_stolen), not by name.
    Examples:
      | lost | stolen | reply             |
      | 0.80 | 0.90   | Card stolen flow. |
      | 0.90 | 0.80   | Card lost flow.   |
      | 0.80 | 0.80   | Card stolen flow. |

  @g7 @all-orders
  Scenario: Under every store order the consumer reaches a returns flow
    Given the tenant "fixtures/ecommerce.yaml"
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "I want to return my shoes"
    Then the bot replies with a message matching "*let's*"

  @g7
  Scenario: A collaborative group of more than 15 bots is flagged when it loads
    Given a tenant defined as:
      """
      bots:
        - {name: B1}
        - {name: B2}
        - {name: B3}
        - {name: B4}
        - {name: B5}
        - {name: B6}
        - {name: B7}
        - {name: B8}
        - {name: B9}
        - {name: B10}
        - {name: B11}
        - {name: B12}
        - {name: B13}
        - {name: B14}
        - {name: B15}
        - {name: B16}
      groups:
        - name: Big
          collaboration: true
          members: [B1, B2, B3, B4, B5, B6, B7, B8, B9, B10, B11, B12, B13, B14, B15, B16]
      """
    Then the tenant has the warning "group \"Big\" has 16 bots"
