Feature: bad input
  Scenario: an inline bot with a column the step does not know
    Given a bot "Echo" with dialogs:
      | dialog | patterns | colour |
      | Hello  | hi*      | red    |
