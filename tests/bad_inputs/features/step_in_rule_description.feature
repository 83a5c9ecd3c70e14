Feature: bad input
  Rule: a rule
    When the consumer says "hi"

    Scenario: s
      Given the tenant "_support/bank.yaml"
