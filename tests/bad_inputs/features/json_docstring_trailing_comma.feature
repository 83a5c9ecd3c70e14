Feature: bad input
  Scenario: a JSON docstring
    Given the tenant "_support/bank.yaml"
    And the integration "getOrders" returns:
      """
      {"orders": [1,]}
      """
