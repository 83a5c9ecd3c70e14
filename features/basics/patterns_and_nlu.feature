Feature: Pattern syntax, intent match levels and the default fallback text

  Background:
    Given a tenant defined as:
      """
      bots:
        - name: Shop
          intents:
            - name: order_status
              phrases: ["where is my order", "track my package"]
            - name: returns
              phrases: ["return an item", "send it back"]
          dialogs:
            - name: Thanks
              starter: {patterns: ["(thank(|s)|thank you)*"]}
              interactions:
                - text: "You're welcome!"
            - name: Order
              starter: {intent: order_status}
              interactions:
                - text: "Let me look up your order."
            - name: Returns
              starter: {intent: returns}
              interactions:
                - text: "Returns are easy."
        - name: Legacy
          nlu_engine: legacy
          intents:
            - name: order_status
              phrases: ["where is my order"]
          dialogs:
            - name: Order
              starter: {intent: order_status}
              interactions:
                - text: "Legacy order lookup."
      """

  @b6
  Scenario Outline: Alternates, optional parts and wildcards, ignoring case and spaces
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "<message>"
    Then the bot replies "<reply>"

    Examples:
      | message           | reply                                                               |
      | thank             | You're welcome!                                                     |
      | THANKS            | You're welcome!                                                     |
      |   thank you a lot | You're welcome!                                                     |
      | thanx             | Not able to understand your question. Can you please re-phrase it? |

  @b7
  Scenario Outline: Only GOOD or better starts a dialog (LivePerson bands)
    Given the NLU scores "is it shipped" as intent "order_status" at <score>
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "is it shipped"
    Then the bot replies "<reply>"

    Examples:
      | score  | reply                                                               |
      | 0.75   | Let me look up your order.                                          |
      | 0.60   | Let me look up your order.                                          |
      | 0.5999 | Not able to understand your question. Can you please re-phrase it? |
      | 0.30   | Not able to understand your question. Can you please re-phrase it? |

  @b7
  Scenario: Legacy engines need 70 % for GOOD
    Given the NLU scores "is it shipped" as intent "order_status" at 0.69
    When the consumer opens a conversation with bot "Legacy"
    And the consumer says "is it shipped"
    Then the bot replies "Not able to understand your question. Can you please re-phrase it?"

  @b7
  Scenario: The match level is written in the transcript
    Given the NLU scores "is it shipped" as intent "order_status" at 0.81
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "is it shipped"
    Then dialog "Order" started by intent "order_status" at level "VERY GOOD"
    And the transcript contains "VERY GOOD 0.81"

  @b8
  Scenario: A bot without a fallback dialog answers with the default text
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "blah blah"
    Then the bot replies "Not able to understand your question. Can you please re-phrase it?"
