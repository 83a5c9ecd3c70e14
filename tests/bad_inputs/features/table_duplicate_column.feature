Feature: bad input
  Scenario: t
    Given a bot "Echo" with dialogs:
      | dialog | replies | replies |
      | Hello  | Hi      | Again   |
