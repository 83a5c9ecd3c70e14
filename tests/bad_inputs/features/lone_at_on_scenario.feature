Feature: bad input

  @smoke @
  Scenario: s
    Given the tenant "_support/bank.yaml"
