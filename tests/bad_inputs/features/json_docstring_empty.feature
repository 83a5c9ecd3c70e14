Feature: bad input
  Scenario: empty
    Given the tenant "_support/bank.yaml"
    And the integration "getOrders" returns:
      """
      """
