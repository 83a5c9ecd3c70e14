Feature: bad input
  Scenario: café
    Given the tenant "_support/bank.yaml"
