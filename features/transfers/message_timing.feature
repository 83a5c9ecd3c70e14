Feature: Interaction delay before a transfer (message timing)

  Background:
    Given a tenant defined as:
      """
      skills: [{id: 1, name: Bots}, {id: 2, name: People}]
      agents: [{id: 3, name: Pat, skills: [2]}]
      bots:
        - name: Hasty
          dialogs:
            - name: Human
              starter: {patterns: ["agent"]}
              interactions:
                - text: "First, a few words."
                - text: "Our hours are 9 to 5."
                - name: transfer at once
                  transfer: {skill_id: 2, message_to_user: "Connecting you now."}
        - name: Patient
          dialogs:
            - name: Human
              starter: {patterns: ["agent"]}
              interactions:
                - text: "First, a few words."
                - text: "Our hours are 9 to 5."
                - name: transfer after the messages
                  delay_ms: 4000
                  transfer: {skill_id: 2, message_to_user: "Connecting you now."}
      connectors:
        - {bot: Hasty, skills: [1]}
        - {bot: Patient, skills: [1]}
      """

  @t4
  Scenario: Without a delay the earlier messages arrive after the transfer, out of order
    When the consumer opens a conversation with bot "Hasty"
    And the consumer says "agent"
    Then the consumer has seen exactly:
      """
      Hasty: Connecting you now.
      Hasty: First, a few words.
      Hasty: Our hours are 9 to 5.
      """
    And the transcript contains "arrived after the transfer (T4)"
    And the tenant has the warning "escalation \"transfer at once\" has a delay of 0 ms after 2 message(s); use at least 4000 ms"

  @t4
  Scenario: With 2000 ms per preceding message everything arrives before the transfer
    When the consumer opens a conversation with bot "Patient"
    And the consumer says "agent"
    Then the consumer has seen exactly:
      """
      Patient: First, a few words.
      Patient: Our hours are 9 to 5.
      Patient: Connecting you now.
      """
    And the transcript does not contain "(T4)"
