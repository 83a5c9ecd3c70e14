@qa
Feature: Remembering a value from a reply
  A value the bot makes up (an order number, a ticket id) is captured from its reply and used
  later as $name inside any quoted parameter.

  Background:
    Given the tenant "shop.yaml"

  Scenario: An order number from one reply is used in the next message and check
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "I want to order"
    And I remember "order (\d+) is ready" from the bot's last reply as "order_id"
    And I remember the bot's last reply as "confirmation"
    Then the remembered value "order_id" is "4711"
    When the consumer says "where is order $order_id?"
    Then the bot replies "Order $order_id ships tomorrow."
    And the consumer sees "$confirmation"

  Scenario: A value of the scenario's own, and a literal dollar sign
    Given I remember "4711" as "order_id"
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "order $order_id costs $$5"
    Then the transcript contains "consumer: order 4711 costs $5"
