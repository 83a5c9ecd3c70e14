Feature: bad input
  Scenario: a step the library does not have
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And the consumer types "hi"
