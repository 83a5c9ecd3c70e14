Feature: bad input
  Scenario: a duration beyond any calendar
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And 99999999999 days pass
