@consumer
Feature: Given the consumer: profile, engagement attributes, location and bot variables
  Bot code reads who the consumer is through botContext (getLPCustomerInfo,
  getLPUserPersonalInfo, getLPEngagementAttribute, getUserLocation). A scenario presets those
  answers, on top of the tenant's consumer: block, and asserts the custom events the code logs.

  Background:
    Given the bot exported in "fixtures/exports/card-helper.json" with intents from "fixtures/exports/card-helper.intents.yaml"

  Scenario: A VIP from a campaign is greeted by name and the greeting is logged
    Given the consumer's profile:
      | field     | value  |
      | name      | Ada L. |
      | firstname | Ada    |
      | ctype     | vip    |
    And the engagement attribute "campaignId" is "42"
    When the consumer opens a conversation with bot "Card Helper"
    And the consumer says "hello"
    Then the bot replies "Hi Ada! Ask me about your card."
    And the variable "tier" is "vip"
    And the variable "campaign" is "42"
    And the bot logged the custom event "Card Helper - Welcome" with detail "tier vip"

  Scenario: An anonymous consumer gets the defaults the platform gives
    When the consumer opens a conversation with bot "Card Helper"
    And the consumer says "hello"
    Then the bot replies "Hi there! Ask me about your card."
    And the variable "tier" is "standard"
    And the bot logged the custom event "Card Helper - Welcome" with detail "tier standard"

  Scenario: A preset bot variable is there from the bot's first move
    Given the bot variable "firstName" is "preset"
    When the consumer opens a conversation with bot "Card Helper"
    Then the transcript does not contain "Card Helper set firstName"
    When the consumer says "hello"
    Then the transcript contains "Card Helper set firstName = \"preset\"  [preset for the consumer]"
    And the bot replies "Hi there! Ask me about your card."

  Scenario: Where the consumer is, as bot code and texts see it
    Given a tenant defined as:
      """
      bots:
        - name: Geo
          dialogs:
            - name: Where
              starter: {patterns: ["where*"]}
              interactions:
                - text: "You are in {$location.city} ({$location.latlng})."
                  pre_process: |
                    var l = botContext.getUserLocation();
                    botContext.printDebugMessage(l ? "lat " + l.getLatitude() : "no location");
      """
    And the consumer is at latitude "40.7128" longitude "-74.006" in "New York"
    When the consumer opens a conversation with bot "Geo"
    And the consumer says "where am I?"
    Then the bot replies "You are in New York (40.7128,-74.006)."
    And the transcript contains "Geo debug: lat 40.7128"

  @r2
  Scenario: Quick replies sent from code are choices with payloads
    Given a tenant defined as:
      """
      bots:
        - name: Sauces
          dialogs:
            - name: Dip
              starter: {patterns: ["dip*"]}
              interactions:
                - name: ask
                  question: BLANK_MESSAGE
                  pre_process: |
                    botContext.sendMessageWithQuickReplies("Your sauce?", ["Ranch~sauce01", "BBQ~sauce03"]);
                  process_user_response: |
                    botContext.setBotVariable("sauce", botContext.getQuickReplyPayload(), true, false);
                - text: "One {$botContext.sauce} coming up."
      """
    When the consumer opens a conversation with bot "Sauces"
    And the consumer says "dip"
    Then the bot replies "Your sauce?"
    And the bot offers quick replies "Ranch", "BBQ"
    And the transcript contains "sent quick replies \"Ranch\" (sauce01), \"BBQ\" (sauce03)"
    When the consumer taps "BBQ"
    Then the bot replies "One sauce03 coming up."
