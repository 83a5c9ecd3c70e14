Feature: bad input
  Scenario: same name
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routng"

  Scenario: same name
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing"
