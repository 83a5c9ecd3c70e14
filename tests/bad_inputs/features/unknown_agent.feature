Feature: bad input
  Scenario: a misspelt agent
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And agent "Alise" becomes available
