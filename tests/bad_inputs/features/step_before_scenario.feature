Feature: bad input
    Given the tenant "_support/bank.yaml"
  Scenario: late
    When 3 minutes pass
