@rich
Feature: enableButtonTextOnPostback shows the label while the bot still gets the value (R1)

  Background:
    Given a tenant defined as:
      """
      include: [features/rich/shop-bot.yaml]
      connectors:
        - bot: Shop
          skills: [100]
          settings: {enableButtonTextOnPostback: true}
      """

  @r1
  Scenario: The consumer sees the label of the tapped button on messaging
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "sizes"
    And the consumer taps "Large"
    Then the consumer's message shows "Large" and sends "size-l"
    And the button payload is "size-l"
    And the bot replies "You chose size-l."

  @r1
  Scenario: On chat the setting does not apply: the consumer sees the value
    When the consumer opens a conversation with bot "Shop" on "chat"
    And the consumer says "sizes"
    And the consumer taps "Large"
    Then the consumer's message shows "size-l" and sends "size-l"

  @r1
  Scenario: Quick replies are not affected by the setting
    When the consumer opens a conversation with bot "Shop"
    And the consumer says "menu"
    And the consumer taps "Track my order"
    Then the consumer's message shows "Track my order" and sends "track"
