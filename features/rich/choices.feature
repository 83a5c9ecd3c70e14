@rich
Feature: Quick replies, buttons and multiple choice are structured, and the consumer taps them
  Rich content stays structured (R2): tests assert titles, choices and the values they send,
  and the consumer taps a choice by its title; the platform sends the payload or callback
  value to the bot (R1).

  Background:
    Given the tenant "shop.yaml"

  @r1 @r2
  Scenario: A quick reply shows its title and sends its payload
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "menu"
    Then the bot replies "What would you like?"
    And the bot offers quick replies "Track my order", "Talk to us"
    And the choice "Track my order" sends "track"
    When the consumer taps "Track my order"
    Then the consumer's message shows "Track my order" and sends "track"
    And the bot replies "Your order ships tomorrow."

  @r1
  Scenario: A tapped button shows its callback value by default and the bot reads the payload
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "sizes"
    Then the bot offers buttons "Small", "Large", "Size guide"
    And the choice "Size guide" opens "https://shop.example/sizes"
    When the consumer taps "Large"
    Then the consumer's message shows "size-l" and sends "size-l"
    And the button payload is "size-l"
    And the bot replies "You chose size-l."

  @r1
  Scenario: A link button opens its page and sends nothing to the bot
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "sizes"
    And the consumer taps "Size guide"
    Then the transcript contains "consumer tapped link \"Size guide\": opens https://shop.example/sizes"
    And the bot offers buttons "Small", "Large", "Size guide"

  @r1
  Scenario: A typed answer is not a tap: the button payload is empty
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "sizes"
    And the consumer says "size-s"
    Then the button payload is ""
    And the bot replies "You chose size-s."

  @r2
  Scenario: A multiple choice question offers its answers as buttons
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "colours"
    Then the bot offers buttons "Red", "Blue"
    When the consumer selects "Blue"
    Then the bot replies "Blue it is."

  @r2
  Scenario: The transcript shows the structure, one line per kind of content
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "menu"
    Then the transcript contains "quick replies: \"Track my order\" (sends \"track\") | \"Talk to us\""
