Feature: bad input
  Scenario: a tenant file that is not there
    Given the tenant "_support/bnak.yaml"
