Feature: bad input
  Scenario: a JSON docstring
    Given the tenant "_support/bank.yaml"
    And the integration "getOrders" returns:
      """
      {"name": "\ude00\ud83d"}
      """
