@rich
Feature: Cards, carousels, images and universal structured content (R2)

  Background:
    Given the tenant "shop.yaml"

  @r2 @r1
  Scenario: A carousel of cards with buttons; tapping a card's button sends its value
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "offers"
    Then the bot replies "Today's offers:"
    And the bot shows a carousel of 2 cards
    And the bot shows a card titled "Red sneaker" with buttons "Buy", "Details"
    And the bot shows a card titled "Blue sneaker" with buttons "Buy"
    And the bot shows an image "https://shop.example/blue.png"
    When the consumer taps "Buy"
    Then the consumer's message shows "buy red" and sends "buy red"
    And the bot replies "Added: buy red."

  @r2
  Scenario: An image message
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "logo"
    Then the bot shows an image "https://shop.example/logo.png"
    And the bot offers no choices

  @r2 @r1
  Scenario: Universal structured content is parsed after its variables are replaced
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "green"
    Then the bot shows a card titled "Green sneaker" with buttons "Add to cart"
    And the choice "Add to cart" sends "add green"
    When the consumer taps "Add to cart"
    Then the consumer's message shows "add green" and sends "add green"
