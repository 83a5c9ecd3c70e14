Feature: LivePerson Agent Escalation integrations, agent offers and agents going away

  Background:
    Given a tenant defined as:
      """
      skills: [{id: 10, name: Bot skill}, {id: 20, name: Humans}, {id: 30, name: Back office}]
      agents:
        - {id: 1, name: Alice, skills: [20], auto_accept: false, accept_timeout_seconds: 30}
        - {id: 2, name: Bob, skills: [20], available: false}
        - {id: 3, name: Cleo, skills: [30]}
      bots:
        - name: Helper
          integrations:
            - name: Escalate to humans
              type: liveperson_agent_escalation
              skill_name: Humans
              skill_id: "{$botContext.target}"
              message_to_user: "One moment {$botContext.name}, finding a person."
          dialogs:
            - name: Human
              starter: {patterns: ["human"]}
              interactions:
                - set: {target: "20", name: Sam}
                  integration: Escalate to humans
                  on_failure: sorry
                - name: sorry
                  text: "The transfer service is down, please call us."
            - name: Failed
              starter: {patterns: ["__agent_escalation_failed__"]}
              interactions:
                - text: "Transfer failed."
      connectors: [{bot: Helper, skills: [10]}]
      """

  @t1 @t2 @t3
  Scenario: The integration escalates exactly like the Agent Transfer interaction
    When the consumer opens a conversation with bot "Helper"
    And the consumer says "human"
    Then the conversation is transferred to skill "20"
    And the consumer sees "One moment Sam, finding a person."
    And the transcript contains "via integration \"Escalate to humans\""

  @t5
  Scenario: An agent who must accept gets an offer and takes the conversation
    When the consumer opens a conversation with bot "Helper"
    And the consumer says "human"
    Then the conversation is offered to agent "Alice"
    When agent "Alice" accepts
    Then the conversation is assigned to agent "Alice"

  @t5 @f5
  Scenario: An offer that is not accepted in time returns the conversation to the skill queue
    When the consumer opens a conversation with bot "Helper"
    And the consumer says "human"
    And 30 seconds pass
    Then the conversation waits in the queue of skill "20"
    And the transcript contains "agent \"Alice\" did not accept in time"
    When agent "Bob" becomes available
    Then the conversation is assigned to agent "Bob"

  @f5
  Scenario: An agent who goes away hands the conversation back to the skill
    Given agent "Bob" becomes available
    And agent "Alice" goes away
    When the consumer opens a conversation with bot "Helper"
    And the consumer says "human"
    Then the conversation is assigned to agent "Bob"
    When agent "Bob" goes away
    Then the conversation waits in the queue of skill "20"

  @f1
  Scenario: The transfer API call fails at once and the failure rule runs
    Given the transfer API call to skill "20" fails
    When the consumer opens a conversation with bot "Helper"
    And the consumer says "human"
    Then no transfer happens
    And the consumer has seen exactly:
      """
      Helper: The transfer service is down, please call us.
      """
    And the bot received "__agent_escalation_failed__" 0 times
