Feature: bad input
  Scenario: the tenant file itself is broken
    Given the tenant "../tenants/bot_in_two_groups.yaml"
