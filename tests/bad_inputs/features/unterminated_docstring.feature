Feature: bad input
  Scenario: open docstring
    Given the tenant "_support/bank.yaml"
    And the integration "getOrders" returns:
      """
      {"orders": []}
