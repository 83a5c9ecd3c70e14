Feature: bad input
  Scenario: a message into a conversation the consumer closed
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And the consumer closes the conversation
    And the consumer says "hello again"
