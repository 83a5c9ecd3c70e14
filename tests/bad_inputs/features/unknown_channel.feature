Feature: bad input
  Scenario: a channel that does not exist
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing" on "fax"
