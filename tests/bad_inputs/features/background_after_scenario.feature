Feature: bad input
  Scenario: s
    Given the tenant "_support/bank.yaml"
  Background:
    Given the tenant "_support/bank.yaml"
