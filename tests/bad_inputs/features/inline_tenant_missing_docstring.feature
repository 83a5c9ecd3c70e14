Feature: bad input
  Scenario: a tenant step without the tenant
    Given a tenant defined as:
    When the consumer opens a conversation with bot "Echo"
