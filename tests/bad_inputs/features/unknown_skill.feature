Feature: bad input
  Scenario: a misspelt skill
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation on skill "Savngs"
