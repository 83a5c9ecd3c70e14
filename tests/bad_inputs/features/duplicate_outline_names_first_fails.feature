Feature: bad input
  Scenario Outline: same outline
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "<bot>"

    Examples:
      | bot    |
      | Svings |

  Scenario Outline: same outline
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "<bot>"

    Examples:
      | bot     |
      | Savings |
