@rich
Feature: On a text-only channel (SMS) choices are a numbered or lettered list (R2)
  SMS is a messaging channel that shows text only: open the conversation on "sms". The bot's
  rich content arrives as its text version, and the consumer answers a choice by typing its
  number or letter; the bot receives what tapping the choice would have sent.

  Background:
    Given the tenant "shop.yaml"

  @r2
  Scenario: Buttons become a numbered list and the consumer answers with a number
    When the consumer opens a conversation with bot "Shop" on "sms"
    And the consumer says "sizes"
    Then the consumer receives the text:
      """
      Which size?
      1. Small
      2. Large
      Size guide: https://shop.example/sizes
      """
    When the consumer says "2"
    Then the consumer's message shows "2" and sends "size-l"
    And the bot replies "You chose size-l."

  @r2
  Scenario: A multiple choice with the letters list style is answered with a letter
    When the consumer opens a conversation with bot "Shop" on "sms"
    And the consumer says "colours"
    Then the consumer receives the text:
      """
      Which colour?
      a. Red
      b. Blue
      """
    When the consumer says "a"
    Then the bot replies "Red it is."

  @r2
  Scenario: A carousel as text: each card's title, subtitle and image, then its buttons
    When the consumer opens a conversation with bot "Shop" on "sms"
    And the consumer says "offers"
    Then the consumer receives the text:
      """
      Today's offers:
      Red sneaker
      49 EUR
      https://shop.example/red.png
      1. Buy
      Details: https://shop.example/red
      Blue sneaker
      59 EUR
      https://shop.example/blue.png
      2. Buy
      """
    When the consumer says "2"
    Then the bot replies "Added: buy blue."

  @r2
  Scenario: A typed text that is no choice number reaches the bot unchanged
    When the consumer opens a conversation with bot "Shop" on "sms"
    And the consumer says "menu"
    And the consumer says "track"
    Then the bot replies "Your order ships tomorrow."
