Feature: bad input
  Scenario: pinning an intent no bot has
    Given the tenant "_support/bank.yaml"
    And the NLU scores "I want money" as intent "savngs" at 0.9
