@r3 @imports
Feature: Conditions and rules of exported bots run as written
  Question rules keep their variable conditions, exclude keywords and no-match messages; API
  integrations follow their result rules; disabled interactions are skipped; what the
  simulator cannot run says so in the transcript (R3).

  Background:
    Given the bot exported in "fixtures/exports/rules-bot.json"

  Scenario: A variable condition decides that the answer is right
    When the consumer opens a conversation with bot "Rules"
    And the consumer says "quiz"
    Then the bot replies exactly:
      """
      Quiz time!
      What is the capital of France?
      """
    When the consumer says "Paris"
    Then the bot replies "Paris is correct!"
    And the transcript contains "skips disabled interaction \"quiz hidden\""

  Scenario: The other rule's variable condition takes a wrong answer
    When the consumer opens a conversation with bot "Rules"
    And the consumer says "quiz"
    And the consumer says "London"
    Then the bot replies exactly:
      """
      The answer is Paris.
      """

  Scenario: A no-match rule sends its fallback message and asks again
    When the consumer opens a conversation with bot "Rules"
    And the consumer says "quiz"
    And the consumer says "42"
    Then the bot replies exactly:
      """
      Please answer in words, not numbers.
      What is the capital of France?
      """

  Scenario: Exclude keywords of a rule pattern keep the rule from matching
    When the consumer opens a conversation with bot "Rules"
    And the consumer says "odd"
    And the consumer says "never mind"
    Then the bot replies "Nothing picked."
    And the transcript contains "is not run by the simulator (condition ENTITY is not modelled)"
    When the consumer says "odd"
    And the consumer says "blue"
    Then the bot replies "You picked blue."

  Scenario: An API result rule with a condition on the result's length
    Given a request "GET https://api.example.com/stores?zip=10001" returns:
      """
      {"stores": [{"city": "New York"}, {"city": "Boston"}]}
      """
    When the consumer opens a conversation with bot "Rules"
    And the consumer says "stores"
    Then the bot replies exactly:
      """
      Looking for stores near 10001...
      2 stores: New York, Boston
      """
    And integration "StoreLocator" was called with "GET https://api.example.com/stores?zip=10001"

  Scenario: The next result rule takes a single store
    Given the integration "StoreLocator" returns:
      """
      {"stores": [{"city": "Albany"}]}
      """
    When the consumer opens a conversation with bot "Rules"
    And the consumer says "stores"
    Then the bot replies "Your store is in Albany."

  Scenario: The failure rule runs when the request fails
    Given a request "GET https://api.example.com/stores*" fails with status 503
    When the consumer opens a conversation with bot "Rules"
    And the consumer says "stores"
    Then the bot replies "The store finder is down."
    And integration "StoreLocator" was called 1 time

  Scenario: The request a bot made, body included
    Given a request "POST https://api.example.com/survey" returns:
      """
      {"saved": true}
      """
    When the consumer opens a conversation with bot "Rules"
    And the consumer says "survey"
    And the consumer says "great"
    Then the bot replies "Thanks for your feedback!"
    And integration "saveAnswer" was called with "POST https://api.example.com/survey" and body:
      """
      {"conversation": "conv-0001", "rating": "great"}
      """

  Scenario: A stub by request and body wins over the stub by name
    Given the integration "saveAnswer" fails with status 500
    And a request "POST https://api.example.com/survey" with body "{\"rating\": \"great\", \"conversation\": \"conv-0001\"}" returns:
      """
      {"saved": true}
      """
    When the consumer opens a conversation with bot "Rules"
    And the consumer says "survey"
    And the consumer says "great"
    Then the bot replies "Thanks for your feedback!"
    When the consumer says "survey"
    And the consumer says "bad"
    Then the bot replies exactly:
      """
      Sorry, I could not find anything for that.
      Thanks for your feedback!
      """

  Scenario: A tenant bot's rule with variable conditions that must all hold
    Given a tenant defined as:
      """
      bots:
        - name: Gate
          dialogs:
            - name: Entry
              starter: {patterns: ["enter"]}
              interactions:
                - text: "Checking..."
                  set: {tier: "gold", age: "17"}
                - text: "Never sent."
                  disabled: true
                - question: "Password?"
                  rules:
                    - name: adult gold
                      pattern: "*open*"
                      conditions:
                        - {name: tier, op: equals, value: GOLD}
                        - {name: age, op: greater_than, value: "17"}
                      conditions_match: all
                      next: welcome
                    - no_match: true
                      fallback_message: "Access denied, {$userMessage} is not enough."
                      next: end
                - name: welcome
                  text: "Welcome in."
      """
    When the consumer opens a conversation with bot "Gate"
    And the consumer says "enter"
    Then the bot replies exactly:
      """
      Checking...
      Password?
      """
    When the consumer says "open sesame"
    Then the bot replies "Access denied, open sesame is not enough."
