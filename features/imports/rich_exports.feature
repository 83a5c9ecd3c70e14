@imports @rich @corpus
Feature: Rich content of the real Conversation Builder exports is structured (R1, R2)
  The shared corpus (../shared/cb-exports) holds real exports with quick replies, buttons,
  multiple choice, universal tiles and structured cards. Without that folder these scenarios
  are skipped, with the reason.

  @r1 @r2
  Scenario: B.I.G.'s quick replies send their payloads
    Given the corpus export "get-bot-patterns-bot.json"
    When the consumer opens a conversation with bot "B.I.G."
    And the consumer says "hi"
    Then the bot replies "Choose from the options below."
    And the bot offers quick replies "Quiz Me!", "Sign me up!", "I want to watch!"
    And the choice "Quiz Me!" sends "Quiz"
    And the choice "Sign me up!" sends "contestant"
    When the consumer taps "I want to watch!"
    Then the consumer's message shows "I want to watch!" and sends "watch"
    And the transcript contains "took answer to \"quick_reply_21\" by rule Watch"

  @r1
  Scenario: goBackBot's Back quick reply goes back one interaction
    Given the corpus export "goBackBot.json"
    When the consumer opens a conversation with bot "goBackBot"
    And the consumer says "hi"
    And the consumer says "continue"
    Then the bot offers quick replies "Continue", "Back"
    When the consumer taps "Back"
    Then the bot replies "This is interaction number 1. Type 'continue' to proceed, or type 'back' to return to the previous interaction."

  @r1
  Scenario: A choice the bot did not offer cannot be tapped
    Given the corpus export "goBackBot.json"
    When the consumer opens a conversation with bot "goBackBot"
    And the consumer says "hi"
    And the consumer says "continue"
    Then tapping "Forward" fails with "the bot offered \"Continue\", \"Back\""

  @r2
  Scenario: The Universal Tile Demo's menus are multiple choice and its tiles are cards
    Given the corpus export "Universal-Tile-Demo.json"
    When the consumer opens a conversation with bot "Universal Tile Demo"
    And the consumer says "hi"
    Then the bot offers buttons "Text", "Image", "Button", "Map", "Horizontal", "Vertical"
    When the consumer taps "Horizontal"
    Then the bot offers buttons "Horizontal Image Text", "Horizontal Images"
    When the consumer taps "Horizontal Images"
    Then the bot shows an image "https://i.imgur.com/drw6daj.jpg"
    And the bot offers buttons "Sneaker 01", "Sneaker 02", "Sneaker 03", "Sneaker 04"
    And the choice "Sneaker 02" sends "Sneaker 02"

  @r1 @r2
  Scenario: A universal button publishes its text
    Given the corpus export "Universal-Tile-Demo.json"
    When the consumer opens a conversation with bot "Universal Tile Demo"
    And the consumer says "hi"
    And the consumer taps "Button"
    And the consumer taps "Button with Message"
    Then the bot offers buttons "Button with Message"
    And the choice "Button with Message" sends "Button Clicked!"
    When the consumer taps "Button with Message"
    Then the consumer's message shows "Button Clicked!" and sends "Button Clicked!"

  @r1
  Scenario: The GPT3 template's button sends its callback value
    Given the corpus export "GPT3-Character-Template.json"
    When the consumer opens a conversation with bot "GPT3 Character Template"
    And the consumer says "hi"
    Then the bot offers buttons "Channel Character"
    And the choice "Channel Character" sends "channel"

  @r2
  Scenario: On SMS the text-only demo's multiple choice is a numbered list answered by number
    Given the corpus export "displaying-results-in-text-only-demo.json"
    And the integration "StoreLocator" returns:
      """
      {"stores": []}
      """
    When the consumer opens a conversation with bot "displaying-results-in-text-only-demo" on "sms"
    And the consumer says "hi"
    Then the consumer receives the text:
      """
      Would you like to see a text only or structured content result?
      1. Text only
      2. Structured content
      """
    When the consumer says "2"
    Then the consumer's message shows "2" and sends "Structured content"
    And the transcript contains "by rule structured content"

  @r1 @r2
  Scenario: The dynamic button demo builds a universal card from an API result in JavaScript
    Given the corpus export "dynamic-button-bot.json"
    And the integration "Buttons" returns:
      """
      {"buttons": [{"label": "One", "payload": "one"}, {"label": "Two", "payload": "two"}]}
      """
    When the consumer opens a conversation with bot "dynamic-button-demo"
    And the consumer says "hi"
    And the consumer says "2"
    Then the bot shows a card titled "You've selected 2 button(s)" with buttons "One", "Two"
    And the choice "Two" sends "two"
    When the consumer taps "Two"
    Then the consumer's message shows "two" and sends "two"
    And the bot offers quick replies "Yes", "No"
