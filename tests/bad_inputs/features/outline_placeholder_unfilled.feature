Feature: bad input
  Scenario Outline: o
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "<bot>"

    Examples:
      | other |
      | x     |
