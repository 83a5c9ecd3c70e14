Feature: bad input
  Scenario: talking before any tenant exists
    When the consumer opens a conversation with bot "Routing"
