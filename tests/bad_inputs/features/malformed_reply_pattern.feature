Feature: bad input
  Scenario: a pattern with an unclosed group
    Given the tenant "_support/bank.yaml"
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"
    Then the bot replies with a message matching "(a|b"
