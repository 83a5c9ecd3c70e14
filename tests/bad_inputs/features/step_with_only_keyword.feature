Feature: bad input
  Scenario: bare keyword
    Given the tenant "_support/bank.yaml"
    When
