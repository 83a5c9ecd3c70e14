Feature: bad input
  Scenario: bom
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routng"
