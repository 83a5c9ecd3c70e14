  Scenario: orphan
    Given the tenant "_support/bank.yaml"
