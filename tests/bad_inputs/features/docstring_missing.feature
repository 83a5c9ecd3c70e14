Feature: bad input
  Scenario: a docstring step without its docstring
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"
    Then the bot replies exactly:
