Feature: Bot groups and automatic transfers

  Background:
    Given the tenant "fixtures/ecommerce.yaml"

  @g2 @g5 @g6
  Scenario: The routing bot hands an order question to the Order Status bot (the seed's example)
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hi"
    And the consumer says "I need to check the status of my order"
    Then the conversation is transferred automatically to bot "Order Status"
    And the consumer has seen exactly:
      """
      Routing: Hello, I am routing bot. How can I help you?
      Routing: Let me transfer you to a chatbot that can assist you with your request.
      Order Status: Can I have your order number please?
      """
    When the consumer says "A-1001"
    Then the bot replies "Order A-1001 is on its way."

  @g2
  Scenario: The current bot's own starters win over the group
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "hello"
    Then no automatic transfer happens
    And the bot replies "Hello, I am routing bot. How can I help you?"

  @g3
  Scenario: No bot of the group matches: the current bot's fallback, no transfer
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "tell me a joke"
    Then no automatic transfer happens
    And the bot replies "Routing did not understand."

  @g4
  Scenario: A survey bot in the group never receives automatic transfers
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "I want a survey"
    Then no automatic transfer happens
    And the bot replies "Routing did not understand."

  @g4
  Scenario: A member without an active connection is skipped
    Given the connector of bot "Order Status" becomes inactive
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "where is my order"
    Then no automatic transfer happens
    And the bot replies "Routing did not understand."

  @g7 @g2
  Scenario: Overlapping bots: the store's order decides, and the transcript says so
    Given the platform lists group bots in the order "Refunds", "Returns"
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "I want to return my shoes"
    Then the conversation is transferred automatically to bot "Refunds"
    And routing was order-dependent between "Returns" and "Refunds"
    And the tenant has the warning "\"return\" starts a dialog in bot \"Returns\" and in bot \"Refunds\""

  @g7 @g2
  Scenario: The other store order gives the other bot
    Given the platform lists group bots in the order "Returns", "Refunds"
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "I want to return my shoes"
    Then the conversation is transferred automatically to bot "Returns"
    And routing was order-dependent between "Returns" and "Refunds"

  @g8 @t1
  Scenario: A transfer to a human agent is always a manual transfer
    When the consumer opens a conversation with bot "Routing"
    And the consumer says "agent please"
    Then no automatic transfer happens
    And the conversation is assigned to agent "Olivia"

  @g1
  Scenario: With collaboration off the group only groups bots
    Given a tenant defined as:
      """
      skills: [{id: 1, name: A}, {id: 2, name: B}]
      bots:
        - name: A
          dialogs:
            - name: Fallback
              type: fallback
              interactions:
                - text: "A fallback."
        - name: B
          dialogs:
            - name: Returns
              starter: {patterns: ["*return*"]}
              interactions:
                - text: "B handles returns."
      connectors: [{bot: A, skills: [1]}, {bot: B, skills: [2]}]
      groups:
        - {name: Quiet, collaboration: false, members: [A, B]}
      """
    When the consumer opens a conversation with bot "A"
    And the consumer says "I want to return this"
    Then no automatic transfer happens
    And the bot replies "A fallback."

  @g1
  Scenario Outline: Collaboration is off unless the group enables it
    Given a tenant defined as:
      """
      skills: [{id: 1, name: A}, {id: 2, name: B}]
      bots:
        - name: A
          dialogs:
            - name: Fallback
              type: fallback
              interactions:
                - text: "A fallback."
        - name: B
          dialogs:
            - name: Returns
              starter: {patterns: ["*return*"]}
              interactions:
                - text: "B handles returns."
      connectors: [{bot: A, skills: [1]}, {bot: B, skills: [2]}]
      groups:
        - {name: Team, members: [A, B]<setting>}
      """
    When the consumer opens a conversation with bot "A"
    And the consumer says "I want to return this"
    Then the bot replies "<reply>"

    Examples:
      | setting              | reply              |
      |                      | A fallback.        |
      | , collaboration: true | B handles returns. |

  @g1
  Scenario Outline: Bots of an export's transferGroupId share a group, off unless the tenant's group with that id enables it
    Given a tenant defined as:
      """
      skills: [{id: 1, name: A}, {id: 2, name: B}]
      bots:
        - name: A
          group: daf69cbb
          dialogs:
            - name: Fallback
              type: fallback
              interactions:
                - text: "A fallback."
        - name: B
          group: daf69cbb
          dialogs:
            - name: Returns
              starter: {patterns: ["*return*"]}
              interactions:
                - text: "B handles returns."
      connectors: [{bot: A, skills: [1]}, {bot: B, skills: [2]}]
      groups: <groups>
      """
    When the consumer opens a conversation with bot "A"
    And the consumer says "I want to return this"
    Then the bot replies "<reply>"

    Examples:
      | groups                                                   | reply              |
      | []                                                       | A fallback.        |
      | [{name: Team, id: daf69cbb, collaboration: true}]        | B handles returns. |
