Feature: bad input
  Scenario: quote
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing
