@imports @corpus
Feature: Main paths of the real exports a consumer walks
  Each real export of ../shared/cb-exports that no other feature drives is walked here on a
  main path, as a consumer would: tapping the choices the bot offers and answering its
  questions. Together with rich_exports.feature and the B.I.G. and goBackBot scenarios, every
  one of the eleven exports has a scenario (the walk of docs/conformance.md covers every path).

  @r1 @r2
  Scenario: ReplacementCardHelper replaces a credit card through its quick replies
    Given the corpus export "ReplacementCardHelper.json"
    And the NLU scores "I need a new card" as intent "ask about replacement card" at 0.9
    When the consumer opens a conversation with bot "ReplacementCardHelper"
    And the consumer says "I need a new card"
    Then the bot replies "Which card do you need replaced?"
    And the bot offers quick replies "Credit Card", "Debit Card"
    And the bot logged the custom event "Replacement Card - Start"
    When the consumer taps "Credit Card"
    Then the bot replies "OK - your Credit Card. Would you like to put a hold on your old card?"
    When the consumer taps "Yes"
    And the consumer says "yes"
    Then the bot replies with a message matching "Thank you. We will send out a new Credit Card to 1234 Westchester Lane*"
    When the consumer taps "Yes"
    Then the bot replies "Your replacement card is on the way! Do you need any more help today?"
    And the bot logged the custom event "Replacement Card - Success"

  @r1 @r2
  Scenario: ShopifyBot shows products from its API as cards and adds one to the cart
    Given the corpus export "ShopifyBot.json"
    And the integration "getProducts" returns:
      """
      {"products": [{"id": 1, "title": "Tee", "handle": "tee", "image": null,
        "variants": [{"id": 11, "inventory_quantity": 3, "option2": "Blue"}]}]}
      """
    When the consumer opens a conversation with bot "ShopifyBot"
    And the consumer says "shop"
    Then the bot shows a card titled "Tee - Blue" with buttons "See details", "Add to cart"
    And the choice "Add to cart" sends "Product #: 11"
    When the consumer taps "Add to cart"
    Then the bot replies "Great choice! How many? Use the buttons below or enter a number."
    And the bot offers buttons "1", "2", "3", "4"
    When the consumer taps "2"
    Then the bot replies "I've added the item to your cart. Would you like to check out or continue shopping?"
    And the choice "Check out" opens "https://yourstorename.myshopify.com/cart/11:2"

  @r3
  Scenario: ShopifyBot's fallback names the export's broken jump in the transcript
    Given the corpus export "ShopifyBot.json"
    When the consumer opens a conversation with bot "ShopifyBot"
    And the consumer says "something else entirely"
    Then the bot replies "Sorry, I am not able to understand."
    And the transcript contains "jump to unknown interaction id"

  Scenario: The Instagram template routes a story mention by the customer type
    Given the corpus export "Instagram-Starter-Template.json"
    And the consumer's profile:
      | ctype | StoryMention |
    When the consumer opens a conversation with bot "Instagram Starter Template"
    And the consumer says "hi"
    Then the bot replies "Thanks for mentioning us on your story!"

  Scenario: The SMS template hands a HELP request over after the consumer's answer
    Given the corpus export "qr-sms-template.json"
    When the consumer opens a conversation with bot "qr-sms-template (09-16-2021 05:42)"
    And the consumer says "HELP"
    Then the bot replies with a message matching "I'm going to pass you over to someone from our customer care team*"
    When the consumer says "text me please"
    Then the bot replies "OK - you'll be hearing from us soon."

  Scenario: The SMS template answers TIX with the booking link
    Given the corpus export "qr-sms-template.json"
    When the consumer opens a conversation with bot "qr-sms-template (09-16-2021 05:42)"
    And the consumer says "TIX"
    Then the bot replies "Great! Head over to https://www.musicfun.com/secret to book. See you there!"

  @r2
  Scenario: The top-level-key demo shows its API result in a structured card
    Given the corpus export "top-level-key-demo.json"
    And the integration "Locations" returns:
      """
      [{"city": "Austin"}, {"city": "Boston"}]
      """
    When the consumer opens a conversation with bot "top-level-key-demo"
    And the consumer says "hi"
    Then the bot replies "Hi there!  This bot demonstrates how to add a top level key to integration results."
    And the bot shows a card titled "Austin, Boston"
