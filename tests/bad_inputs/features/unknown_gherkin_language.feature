# language: xx
Feature: bad input
  Scenario: s
    Given the tenant "_support/bank.yaml"
