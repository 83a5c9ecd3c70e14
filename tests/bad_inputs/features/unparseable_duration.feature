Feature: bad input
  Scenario: fortnights are not a unit
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And 3 fortnights pass
