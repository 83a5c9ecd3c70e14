Feature: bad input
  Rule: one
    Scenario: twin
      Given the tenant "_support/bank.yaml"
      When the consumer opens a conversation with bot "Routing" on "fax"

  Rule: two
    Scenario: twin
      Given the tenant "_support/bank.yaml"
