﻿Feature: bad input
  Scenario: bom
    Given the tenant "_support/bank.yaml"
