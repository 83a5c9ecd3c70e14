Feature: bad input
  Scenario: a table whose rows have different widths
    Given a bot "Echo" with dialogs:
      | dialog | replies |
      | Hello  |
