Feature: bad input
  Scenario: a misspelt bot
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routng"
