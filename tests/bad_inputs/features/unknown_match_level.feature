Feature: bad input
  Scenario: a match level that does not exist
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "open a savings account"
    Then dialog "Savings" started by intent "savings" at level "SUPER"
